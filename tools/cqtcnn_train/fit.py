"""Training one network (train_member), its options, and the file-level scores it is chosen by."""
import argparse
import time

import numpy as np
import torch
from torch import nn

from .augment import colour, frequency_shift, spec_augment
from .cli import fail, read_json
from .data import frontend_defaults
from .network import build_network


def add_training_options(ap):
    """The options of the audio augmentation (augment_audio) and of train_member, shared with
    tools/research/explore_loso.py so both train the same way."""
    ap.add_argument("--arch", choices=("cnn", "crnn"), default="cnn",
                    help="cnn: conv blocks and dense layers; crnn: conv blocks pooling along frequency only, "
                         "then a bidirectional GRU over the frames (--ensemble 1 only)")
    ap.add_argument("--gru-hidden", type=int, default=64, help="crnn: units of each GRU direction")
    ap.add_argument("--channels", default="16,32,64",
                    help="channels of each convolution block (conv, batch norm, ReLU, 2x2 max pool)")
    ap.add_argument("--dense", type=int, default=64, help="units of the hidden dense layer")
    ap.add_argument("--dropout", type=float, default=0.3, help="dropout before each dense layer")
    ap.add_argument("--max-shift", type=float, default=0.2, help="seconds of random time shift")
    ap.add_argument("--noise-snr", default="10,40", help="SNR range of added noise, dB")
    ap.add_argument("--room", type=float, default=0.0, help="fraction of augmented copies put through a simulated room")
    ap.add_argument("--room-model", choices=("diffuse", "damped"), default="diffuse",
                    help="the simulated room: diffuse = flat decaying noise; damped = high frequencies decay "
                         "faster, after early reflections")
    ap.add_argument("--crop", default="",
                    help="augmented copies keep a random LOW,HIGH seconds of each recording from its start, "
                         "faded out (a long note played short); default: whole recordings")
    ap.add_argument("--pitch-shift", type=int, default=0, help="max random shift along frequency, bins")
    ap.add_argument("--speed", type=float, default=0.0,
                    help="speed perturbation of the augmented copies: factor in 1 +- this")
    ap.add_argument("--freq-mask", type=int, default=0, help="SpecAugment: max masked bins")
    ap.add_argument("--time-mask", type=int, default=0, help="SpecAugment: max masked frames")
    ap.add_argument("--colour", type=float, default=0.0, help="max dB of random spectral colouring")
    ap.add_argument("--mixup", type=float, default=0.0, help="mixup's Beta(a, a) parameter a (0: off)")
    ap.add_argument("--epochs", type=int, default=60, help="most epochs to train")
    ap.add_argument("--patience", type=int, default=10,
                    help="stop after this many epochs without a better validation score (accuracy, then loss)")
    ap.add_argument("--min-epochs", type=int, default=10,
                    help="train at least this many epochs (or --epochs, if fewer) before stopping early")
    ap.add_argument("--batch", type=int, default=64, help="windows per batch")
    ap.add_argument("--epoch-windows", type=int, default=0,
                    help="windows drawn per epoch (0: as many as there are training windows)")
    ap.add_argument("--lr", type=float, default=2e-3, help="AdamW learning rate (cosine schedule)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the split, augmentation and weights")
    ap.add_argument("--threads", type=int, default=2, help="torch threads and `cqtcnn features` threads")


def recipe_of(model_path):
    """The training options (add_training_options) a model was trained with, as train.py recorded
    them in its metadata (training.arguments): a shipped model's recipe, read rather than copied."""
    names = argparse.ArgumentParser()
    add_training_options(names)
    names = vars(names.parse_args([]))
    model = read_json(model_path, "model")
    arguments = model.get("metadata", {}).get("training", {}).get("arguments", {}) if isinstance(model, dict) else {}
    if not arguments:
        fail(f"{model_path}: no metadata.training.arguments (a model made by train.py has them)")
    return {name: value for name, value in arguments.items() if name in names}


def add_recipe_option(ap, model_path):
    """--recipe MODEL (model_path unless given): that model's recipe (recipe_of) becomes the
    defaults of the training options, which add_training_options must have added to `ap`."""
    ap.add_argument("--recipe", default=model_path, help="the model whose training options are the defaults")
    first = argparse.ArgumentParser(add_help=False)
    first.add_argument("--recipe", default=model_path)
    ap.set_defaults(**recipe_of(first.parse_known_args()[0].recipe))


def crop_range(args):
    """--crop as (low, high) seconds, or None."""
    return tuple(float(v) for v in args.crop.split(",")) if args.crop else None


def frontend_scaling(frontend, cqtcnn=None):
    """(value of silence in network units, value units (dB or PCEN) per network unit) of a front
    end's normalised values: silence is -top_db dB, or 0 with "values": "pcen", normalised as
    (value - mean) / std (FrontendConfig::pad_value). A member left out (or null) takes cqtcnn's
    default (data.frontend_defaults)."""
    def member(obj, key):
        value = (frontend.get(obj) or {}).get(key)
        return value if value is not None else frontend_defaults(cqtcnn)[obj][key]
    std = member("normalize", "std")
    silence = 0.0 if frontend.get("values") == "pcen" else -member("db", "top_db")
    return (silence - member("normalize", "mean")) / std, std


def file_probabilities(model, x, owner, n_files):
    """Each file's class probabilities as classify computes them: the mean over its windows
    (owner[i] is the file of window x[i])."""
    model.eval()
    with torch.no_grad():
        p = torch.softmax(model(torch.from_numpy(x)), dim=1).numpy()
    total = np.zeros((n_files, p.shape[1]))
    np.add.at(total, owner, p)
    return total / np.bincount(owner, minlength=n_files).clip(min=1)[:, None]


def file_accuracy(model, x, owner, labels_of_files):
    """File-level accuracy and predictions (file_probabilities' argmax)."""
    predicted = file_probabilities(model, x, owner, len(labels_of_files)).argmax(1)
    return float(np.mean(predicted == labels_of_files)), predicted


def balanced_accuracy(model, x, owner, labels_of_files, set_of_files):
    """The mean over training sets (set_of_files[i]: the --train set of file i) of file_accuracy
    on each set's files, so a small set counts as much as a large one."""
    _, predicted = file_accuracy(model, x, owner, labels_of_files)
    right = predicted == labels_of_files
    return float(np.mean([right[set_of_files == s].mean() for s in np.unique(set_of_files)]))


def validation_accuracy(model, validation):
    """train_member's validation score: balanced_accuracy when `validation` also holds each file's
    training set (--balance), else file_accuracy."""
    return balanced_accuracy(model, *validation) if len(validation) == 4 else file_accuracy(model, *validation)[0]


def validation_loss(model, validation):
    """Mean cross-entropy of the files' probabilities (file_probabilities) against their labels;
    with the training set of each file (--balance), the mean over sets of each set's mean."""
    x, owner, labels_of_files = validation[:3]
    p = file_probabilities(model, x, owner, len(labels_of_files))
    loss = -np.log(np.clip(p[np.arange(len(labels_of_files)), labels_of_files], 1e-12, None))
    if len(validation) == 4:
        return float(np.mean([loss[validation[3] == s].mean() for s in np.unique(validation[3])]))
    return float(np.mean(loss))


def balance_weights(set_of_windows):
    """Sampling weights that give every training set (set_of_windows[i]: the set of window i) the
    same total: 1 / (windows in the window's set)."""
    return torch.from_numpy(1.0 / np.bincount(set_of_windows)[set_of_windows])


def train_member(args, seed, height, width, n_classes, x_fit_t, y_fit_t, pad_value, norm_std, validation,
                 weights=None):
    """Trains one network with its own seed (initial weights, batch order, feature-domain
    augmentation); returns (model at the best validation epoch, its validation accuracy, epoch).
    With `weights` (one per training window), each epoch draws as many windows as there are (or
    --epoch-windows), with replacement, in proportion to them; a fourth member of `validation`
    (the training set of each validation file) makes the validation accuracy balanced_accuracy's.
    The best epoch has the highest validation accuracy and, among equals, the lowest validation
    loss: on a small validation set accuracy reaches 100% within an epoch or two, long before the
    network is sure of its answers, and only the loss still tells the later epochs apart. No early
    stop before --min-epochs."""
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = build_network(height, width, n_classes, [int(c) for c in args.channels.split(",")],
                          args.dense, args.dropout, args.arch, args.gru_hidden)
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-3)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, args.epochs)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.05)
    best = ((-1.0, 0.0), None, 0)  # ((accuracy, -loss), weights, epoch)
    for epoch in range(args.epochs):
        started = time.time()
        model.train()
        draws = getattr(args, "epoch_windows", 0) or len(x_fit_t)
        if weights is None:
            order = torch.randperm(len(x_fit_t), generator=generator)[:draws]
        else:
            order = torch.multinomial(weights, draws, replacement=True, generator=generator)
        total = 0.0
        for b in range(0, len(order), args.batch):
            idx = order[b: b + args.batch]
            xb = frequency_shift(x_fit_t[idx], args.pitch_shift, pad_value, generator)
            xb = colour(xb, args.colour, norm_std, pad_value, generator)
            xb = spec_augment(xb, args.freq_mask, args.time_mask, pad_value, generator)
            optimiser.zero_grad()
            if args.mixup:  # mixup (Zhang et al. 2018): convex mixtures of pairs of examples
                lam = float(torch.distributions.Beta(args.mixup, args.mixup).sample())
                pair = torch.randperm(len(idx), generator=generator)
                out = model(lam * xb + (1 - lam) * xb[pair])
                loss = lam * loss_fn(out, y_fit_t[idx]) + (1 - lam) * loss_fn(out, y_fit_t[idx][pair])
            else:
                loss = loss_fn(model(xb), y_fit_t[idx])
            loss.backward()
            optimiser.step()
            total += float(loss) * len(idx)
        scheduler.step()
        score = (validation_accuracy(model, validation), -validation_loss(model, validation))
        print(f"epoch {epoch + 1:3d}  loss {total / len(order):.4f}  validation accuracy {score[0]:.4f}  "
              f"validation loss {-score[1]:.4f}  ({time.time() - started:.0f} s)", flush=True)
        if score > best[0]:
            best = (score, {k: v.clone() for k, v in model.state_dict().items()}, epoch + 1)
        elif epoch + 1 - best[2] >= args.patience and epoch + 1 >= getattr(args, "min_epochs", 0):
            print(f"early stop: no better validation score since epoch {best[2]}")
            break
    model.load_state_dict(best[1])
    return model.eval(), best[0][0], best[2]

