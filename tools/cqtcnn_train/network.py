"""The networks train.py trains (build_network) and the packing of an ensemble into one model."""
import torch
from torch import nn

from .layers import GRULayer, MapToSequence, TimePool


def build_network(height, width, n_classes, channels, dense, dropout, arch="cnn", gru_hidden=64):
    """arch "cnn": blocks of conv 3x3, batch norm, ReLU and 2x2 max pooling, then two dense layers.
    arch "crnn": the same blocks pooling 2x1 (frequency only, so every frame stays a step), then a
    bidirectional GRU of gru_hidden units over the frames, the maximum of its outputs over time and
    one dense layer (layers.py: the modules export.py exports)."""
    layers, c_in, h, w = [], 1, height, width
    pool = (2, 1) if arch == "crnn" else (2, 2)
    for c in channels:
        layers += [nn.Conv2d(c_in, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(), nn.MaxPool2d(pool)]
        c_in, h, w = c, h // pool[0], w // pool[1]
    if arch == "crnn":
        layers += [MapToSequence(), GRULayer(c_in * h, gru_hidden, bidirectional=True, returns="sequence"),
                   TimePool("max"), nn.Dropout(dropout), nn.Linear(2 * gru_hidden, n_classes)]
        return nn.Sequential(*layers)
    layers += [nn.Flatten(), nn.Dropout(dropout), nn.Linear(c_in * h * w, dense), nn.ReLU(),
               nn.Dropout(dropout), nn.Linear(dense, n_classes)]
    return nn.Sequential(*layers)


def pack_ensemble(members, input_shape):
    """Packs K networks of build_network's shape into one nn.Sequential whose logits are the mean of
    the members' logits, so the ensemble is an ordinary model file:
    - the first convolution stacks the members' filters (all read the same input);
    - later convolutions are grouped (groups=K), member k reading and writing only its own channels;
    - batch norms and pools work per channel, so they just stack;
    - each member's Flatten + Linear becomes a convolution with a kernel covering the whole feature map
      (the same dot products), grouped by member;
    - the last Linear concatenates the members' weights, divided by K, and averages their biases.
    Dropout is left out (it does nothing at inference)."""
    members = [member.eval() for member in members]  # inference only: batch norms keep their statistics
    if len(members) == 1:
        return members[0]
    k = len(members)
    layers = [[m for m in member if not isinstance(m, nn.Dropout)] for member in members]
    packed, first_conv = [], True
    ref = layers[0]
    with torch.no_grad():
        for i, m in enumerate(ref):
            group = [member[i] for member in layers]
            if isinstance(m, nn.Conv2d):
                conv = nn.Conv2d(m.in_channels * (1 if first_conv else k), m.out_channels * k, m.kernel_size,
                                 m.stride, m.padding, groups=1 if first_conv else k)
                conv.weight.copy_(torch.cat([g.weight for g in group]))
                conv.bias.copy_(torch.cat([g.bias for g in group]))
                packed.append(conv)
                first_conv = False
            elif isinstance(m, nn.BatchNorm2d):
                bn = nn.BatchNorm2d(m.num_features * k, eps=m.eps)
                for name in ("weight", "bias", "running_mean", "running_var"):
                    getattr(bn, name).copy_(torch.cat([getattr(g, name) for g in group]))
                packed.append(bn)
            elif isinstance(m, (nn.ReLU, nn.MaxPool2d)):
                packed.append(m)
            elif isinstance(m, nn.Flatten):
                continue
            elif isinstance(m, nn.Linear) and isinstance(ref[i - 1], nn.Flatten):
                _, c, h, w = nn.Sequential(*ref[:i - 1])(torch.zeros((1,) + tuple(input_shape))).shape
                conv = nn.Conv2d(c * k, m.out_features * k, (h, w), groups=k)
                conv.weight.copy_(torch.cat([g.weight.reshape(m.out_features, c, h, w) for g in group]))
                conv.bias.copy_(torch.cat([g.bias for g in group]))
                packed.append(conv)
            elif isinstance(m, nn.Linear) and i == len(ref) - 1:
                dense = nn.Linear(m.in_features * k, m.out_features)
                dense.weight.copy_(torch.cat([g.weight for g in group], dim=1) / k)
                dense.bias.copy_(torch.stack([g.bias for g in group]).mean(0))
                packed += [nn.Flatten(), dense]
            else:
                raise ValueError(f"pack_ensemble: unexpected layer {i}: {m}")
    model = nn.Sequential(*packed).eval()
    probe = torch.randn((8,) + tuple(input_shape), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        want = torch.stack([member(probe) for member in members]).mean(0)
        got = model(probe)
    if not torch.allclose(got, want, rtol=1e-4, atol=1e-4):
        raise AssertionError(f"pack_ensemble: packed logits differ from the members' mean by "
                             f"{float((got - want).abs().max())}")
    return model

