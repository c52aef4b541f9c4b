r"""Export a PyTorch CNN to the cqtcnn model format (docs/model-format.md).

Library use:
    from cqtcnn_train.export import export
    export(module, "model.json", input_shape=(1, 84, 64), labels=[...], frontend={...}, metadata={...})

Command line (Debian's /usr/bin/python3, which has python3-torch; installed as cqtcnn-export):
    /usr/bin/python3 tools/export_pytorch.py --module tiny.pt --input-shape 1 84 64 \
        --labels a b c --frontend models/instruments.frontend.json -o tiny.json
    /usr/bin/python3 tools/export_pytorch.py --demo -o demo.json   # the reference network, random weights

--module takes a whole module saved with torch.save(model, "tiny.pt"), not a state dict. It must
be an nn.Sequential (or a module whose children run in sequence) of supported layers; anything
else is refused with an error naming the layer. Recurrent models use the wrappers of
cqtcnn_train.layers (MapToSequence, GRULayer, TimePool, SequenceToMap): an nn.GRU returns a
tuple and cannot sit in nn.Sequential. Test vectors are computed by PyTorch in eval mode and
embedded, so `cqtcnn inspect` checks the C++ engine against them.
"""
import argparse
import base64
import json
import os
import sys

from .cli import HelpFormatter, fail, missing_package, read_json
try:
    import numpy as np
    import torch
    from torch import nn
except ImportError as e:
    missing_package(e)

from .layers import GRULayer, MapToSequence, SequenceToMap, TimePool


class ExportError(ValueError):
    pass


def tensor(t):
    a = t.detach().cpu().numpy().astype("<f4")
    return {"dtype": "float32", "shape": list(a.shape), "data_b64": base64.b64encode(a.tobytes()).decode("ascii")}


def pair(v):
    return list(v) if isinstance(v, (tuple, list)) else [v, v]


def conv2d(m, shape):
    if m.padding_mode != "zeros":
        raise ExportError(f"Conv2d padding_mode={m.padding_mode!r} is not supported (only 'zeros')")
    if isinstance(m.padding, str):
        padding = m.padding  # "valid" or "same" (stride 1 in PyTorch; same rule in cqtcnn)
    else:
        padding = pair(m.padding)
    layer = {"type": "conv2d", "in_channels": m.in_channels, "out_channels": m.out_channels,
             "kernel_size": pair(m.kernel_size), "stride": pair(m.stride), "padding": padding,
             "dilation": pair(m.dilation), "groups": m.groups, "bias": m.bias is not None,
             "weights": {"weight": tensor(m.weight)}}
    if m.bias is not None:
        layer["weights"]["bias"] = tensor(m.bias)
    return layer


def pool2d(m, kind):
    layer = {"type": kind, "kernel_size": pair(m.kernel_size), "stride": pair(m.stride or m.kernel_size),
             "padding": pair(m.padding), "ceil_mode": bool(m.ceil_mode)}
    if kind == "max_pool2d":
        if m.return_indices:
            raise ExportError("MaxPool2d(return_indices=True) is not supported")
        layer["dilation"] = pair(m.dilation)
    else:
        if m.divisor_override is not None:
            raise ExportError("AvgPool2d(divisor_override=...) is not supported")
        layer["count_include_pad"] = bool(m.count_include_pad)
    return layer


def adaptive(m, kind):
    if pair(m.output_size) != [1, 1]:
        raise ExportError(f"{type(m).__name__}(output_size={m.output_size}) is not supported (only 1)")
    return {"type": kind}


def batch_norm(m, shape):
    if not m.track_running_stats or m.running_mean is None:
        raise ExportError(f"{type(m).__name__} without running statistics is not supported")
    n = m.num_features
    weight = m.weight if m.affine else torch.ones(n)
    bias = m.bias if m.affine else torch.zeros(n)
    return {"type": "batch_norm", "num_features": n, "eps": float(m.eps),
            "weights": {"weight": tensor(weight), "bias": tensor(bias), "running_mean": tensor(m.running_mean),
                        "running_var": tensor(m.running_var)}}


def softmax(m, shape):
    dim = m.dim if m.dim is not None else 1
    if dim < 0:
        dim += len(shape)
    feature_dim = 2 if len(shape) == 3 else 1  # a sequence [N, T, F]: over each step's features
    if dim != feature_dim:
        raise ExportError(f"Softmax(dim={m.dim}) is not supported (only over channels/features, dim {feature_dim})")
    return {"type": "softmax"}


def flatten(m, shape):
    if m.start_dim != 1 or m.end_dim != -1:
        raise ExportError("Flatten is supported only with start_dim=1, end_dim=-1")
    if len(shape) == 3:
        raise ExportError("Flatten of a sequence [N, T, F] is not supported; reduce it over time first "
                          "(TimePool, or GRULayer(returns='last'))")
    return {"type": "flatten"}


def gru(m, shape):
    g = m.gru
    if len(shape) != 3 or shape[2] != g.input_size:
        raise ExportError(f"GRULayer(input_size={g.input_size}) needs a sequence [N, T, {g.input_size}], "
                          f"got shape {list(shape)}")
    layer = {"type": "gru", "input_size": g.input_size, "hidden_size": g.hidden_size, "num_layers": g.num_layers,
             "bidirectional": bool(g.bidirectional), "bias": bool(g.bias), "return": m.returns,
             "weights": {name: tensor(getattr(g, name)) for name in g._flat_weights_names}}
    return layer


def sequence_layer(kind, **options):
    """A converter for a layer that needs a sequence [N, T, F] as input."""
    def convert_layer(m, shape):
        if len(shape) != 3:
            raise ExportError(f"{type(m).__name__} needs a sequence [N, T, F], got shape {list(shape)}")
        return {"type": kind, **{key: getattr(m, attr) for key, attr in options.items()}}
    return convert_layer


def map_to_sequence(m, shape):
    if len(shape) != 4:
        raise ExportError(f"MapToSequence needs a map [N, C, H, W], got shape {list(shape)}")
    return {"type": "map_to_sequence"}


def linear(m, shape):
    if len(shape) == 3:
        raise ExportError("Linear on each step of a sequence [N, T, F] is not supported; reduce it over time first "
                          "(TimePool, or GRULayer(returns='last'))")
    if len(shape) != 2:
        raise ExportError(f"Linear needs a flat input (got shape {list(shape)}); add nn.Flatten() before it")
    layer = {"type": "dense", "in_features": m.in_features, "out_features": m.out_features,
             "bias": m.bias is not None, "weights": {"weight": tensor(m.weight)}}
    if m.bias is not None:
        layer["weights"]["bias"] = tensor(m.bias)
    return layer


# PyTorch module class -> converter(module, input shape with batch) -> layer dict.
CONVERTERS = {
    nn.Conv2d: conv2d,
    nn.ReLU: lambda m, s: {"type": "relu"},
    nn.LeakyReLU: lambda m, s: {"type": "leaky_relu", "negative_slope": float(m.negative_slope)},
    nn.ELU: lambda m, s: {"type": "elu", "alpha": float(m.alpha)},
    nn.Sigmoid: lambda m, s: {"type": "sigmoid"},
    nn.Tanh: lambda m, s: {"type": "tanh"},
    nn.MaxPool2d: lambda m, s: pool2d(m, "max_pool2d"),
    nn.AvgPool2d: lambda m, s: pool2d(m, "avg_pool2d"),
    nn.AdaptiveAvgPool2d: lambda m, s: adaptive(m, "global_avg_pool"),
    nn.AdaptiveMaxPool2d: lambda m, s: adaptive(m, "global_max_pool"),
    nn.BatchNorm2d: batch_norm,
    nn.BatchNorm1d: batch_norm,
    nn.Linear: linear,
    nn.Flatten: flatten,
    nn.Dropout: lambda m, s: {"type": "dropout", "rate": float(m.p)},
    nn.Softmax: softmax,
    MapToSequence: map_to_sequence,
    SequenceToMap: sequence_layer("sequence_to_map", channels="channels"),
    GRULayer: gru,
    TimePool: sequence_layer("time_pool", mode="mode"),
}

# Layers of images [N, C, H, W] only: on a sequence [N, T, F] PyTorch would read T as channels.
IMAGE_LAYERS = (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d, nn.BatchNorm2d)


def layers_of(module):
    children = list(module.children())
    if not children or type(module) in CONVERTERS:  # GRULayer holds an nn.GRU
        return [module]
    if not isinstance(module, nn.Sequential) and type(module).forward is not nn.Sequential.forward:
        print(f"export_pytorch: assuming the children of {type(module).__name__} run in sequence "
              "(checked against its forward on the test vectors)", file=sys.stderr)
    out = []
    for child in children:
        out.extend(layers_of(child) if isinstance(child, nn.Sequential) else [child])
    return out


def convert(module, input_shape):
    layers = []
    x = torch.zeros((1,) + tuple(input_shape))
    with torch.no_grad():
        for i, m in enumerate(layers_of(module)):
            converter = CONVERTERS.get(type(m))
            if isinstance(m, nn.GRU):
                raise ExportError(f"layer {i} (nn.GRU) returns a tuple; wrap it as GRULayer from "
                                  "cqtcnn_train.layers")
            if converter is None:
                raise ExportError(f"layer {i} ({type(m).__name__}: {m}) is not supported by cqtcnn")
            if isinstance(m, IMAGE_LAYERS) and x.dim() != 4:
                raise ExportError(f"layer {i}: {type(m).__name__} needs a map [N, C, H, W], got shape "
                                  f"{list(x.shape)} (SequenceToMap turns a sequence back into a map)")
            if isinstance(m, nn.BatchNorm1d) and x.dim() != 2:
                raise ExportError(f"layer {i}: BatchNorm1d is supported only on flat (N, features) input")
            layers.append(converter(m, tuple(x.shape)))
            try:
                x = m(x)
            except RuntimeError as e:  # the input shape does not fit the network
                raise ExportError(f"input shape {'x'.join(map(str, input_shape))} does not fit layer {i} "
                                  f"({type(m).__name__}, given {'x'.join(map(str, x.shape[1:]))}): "
                                  f"{str(e).splitlines()[0]}") from None
    if x.dim() == 2:
        out_count = x.shape[1]
    else:
        out_count = int(np.prod(x.shape[1:]))
    return layers, out_count


def cqtcnn_layout(y):
    """A batch of network outputs in cqtcnn's shapes: [N, F] stays, a sequence [N, T, F] becomes
    [N, F, 1, T] (docs/model-format.md: a sequence is F x 1 x T), a map [N, C, H, W] stays."""
    if y.dim() == 3:
        return y.transpose(1, 2).unsqueeze(2)
    return y


def export(module, path, input_shape, labels, frontend=None, metadata=None, test_vectors=3, tolerance=1e-4,
           seed=0):
    """Writes `module` to `path` as a cqtcnn model with `test_vectors` PyTorch reference outputs."""
    module = module.eval()
    input_shape = tuple(int(v) for v in input_shape)
    layers, outputs = convert(module, input_shape)
    if len(labels) != outputs:
        raise ExportError(f"{len(labels)} labels for a network with {outputs} outputs")
    gen = torch.Generator().manual_seed(seed)
    vectors = []
    with torch.no_grad():
        for _ in range(test_vectors):
            x = torch.randn((1,) + input_shape, generator=gen)
            y = cqtcnn_layout(module(x))[0]
            vectors.append({"input": tensor(x[0]), "output": tensor(y), "tolerance": tolerance})
    model = {
        "format": "cqtcnn-model",
        "version": 1,
        "frontend": frontend or {},
        "labels": list(labels),
        "input_shape": list(input_shape),
        "layers": layers,
        "metadata": metadata or {},
        "test_vectors": vectors,
    }
    with open(path, "w") as f:
        json.dump(model, f, indent=1)
        f.write("\n")
    return model


def reference_network(height=84, width=64, classes=10):
    """The benchmark network (tools/bench/bench_cnn_peers.py): three conv-relu-pool blocks, two dense."""
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * (height // 8) * (width // 8), 64), nn.ReLU(),
        nn.Linear(64, classes), nn.Softmax(dim=1))


def load_module(path):
    """The torch.nn.Module saved in `path` with torch.save(model, path), or one line saying why not."""
    try:
        module = torch.load(path, map_location="cpu")  # also a module saved from a GPU
    except OSError as e:
        fail(f"{path}: {e.strerror}")
    except (AttributeError, ImportError) as e:  # its class is defined in the script that saved it
        fail(f"{path}: cannot rebuild its module here ({str(e).split(' on <')[0]}): save an nn.Sequential "
             "of torch.nn layers, or call cqtcnn_train.export.export() where the class is defined")
    except Exception as e:  # torch.load raises pickle's and zip's own errors for a file it cannot read
        fail(f"{path}: torch.load cannot read it ({str(e).splitlines()[0]})")
    if isinstance(module, dict):
        fail(f"{path}: holds a state dict, not a module: save the model with torch.save(model)")
    if not isinstance(module, nn.Module):
        fail(f"{path}: holds a {type(module).__name__}, not a module: save the model with torch.save(model)")
    return module


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=HelpFormatter)
    p.add_argument("-o", "--output", required=True, help="model JSON to write")
    p.add_argument("--demo", action="store_true", help="export the reference network with random weights")
    p.add_argument("--module", help="a module saved with torch.save(module, path) (whole module, not a state dict)")
    p.add_argument("--input-shape", type=int, nargs=3, metavar=("C", "H", "W"), default=[1, 84, 64],
                   help="the network's input: channels, CQT bins, frames (the front end's n_bins, window_frames)")
    p.add_argument("--labels", nargs="+", help="class names, in the order of the outputs (default: class0 ...)")
    p.add_argument("--frontend", help="JSON file with the frontend object (or a model whose front end to take)")
    p.add_argument("--metadata", help="JSON file with the metadata object")
    args = p.parse_args()
    if args.demo == bool(args.module):
        p.error("give exactly one of --demo and --module")
    if min(args.input_shape) < 1:
        fail(f"--input-shape {' '.join(map(str, args.input_shape))}: every size must be at least 1")
    torch.manual_seed(0)
    c, h, w = args.input_shape
    module = reference_network(h, w) if args.demo else load_module(args.module)
    frontend = read_json(args.frontend, "front end") if args.frontend else None
    if isinstance(frontend, dict):
        frontend = frontend.get("frontend", frontend)
    metadata = read_json(args.metadata, "metadata") if args.metadata else {"name": "demo" if args.demo else args.module}
    source = "--demo" if args.demo else args.module
    try:
        _, outputs = convert(module.eval(), args.input_shape)
        labels = args.labels or [f"class{i}" for i in range(outputs)]
        model = export(module, args.output, args.input_shape, labels, frontend, metadata)
    except ExportError as e:
        fail(f"{source}: {e}")
    except OSError as e:
        fail(f"{args.output}: {e.strerror}")
    print(f"wrote {args.output}: {len(model['layers'])} layers, input {c}x{h}x{w}, {len(labels)} labels, "
          f"{os.path.getsize(args.output)} bytes, {len(model['test_vectors'])} test vectors "
          f"(check them: cqtcnn inspect {args.output})")
    if not frontend:  # said now, not when classify first refuses the model
        print(f"warning: {args.output} has no front end (--frontend), so cqtcnn classify, evaluate and explain "
              f"refuse it and only cqtcnn predict runs it; export again with --frontend FILE (a front end "
              f"making {h} bins x {w} frames, e.g. models/digits.frontend.json for 1x70x64)", file=sys.stderr)


if __name__ == "__main__":
    main()
