"""PyTorch modules for recurrent models that export.py (cqtcnn-export) can export, usable inside
nn.Sequential (an nn.GRU is not: it returns a tuple). Sequences are batch-first [N, T, F]; a
CQT map [N, C, H, W] becomes a sequence over its W frames. Each module maps to one cqtcnn layer
(docs/model-format.md, "Sequences and recurrent layers"):

    MapToSequence()                -> map_to_sequence   [N, C, H, W] -> [N, W, C*H]
    GRULayer(in, hidden, ...)      -> gru               [N, T, F] -> [N, T, D*hidden] or [N, D*hidden]
    TimePool("mean"|"max"|"last")  -> time_pool         [N, T, F] -> [N, F]
    SequenceToMap(channels)        -> sequence_to_map   [N, T, F] -> [N, C, F/C, T]

A CRNN for a 1 x 70 x 64 CQT image:

    nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d((2, 1)),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d((2, 1)),
        MapToSequence(),                                   # [N, 64 frames, 32 * 17]
        GRULayer(32 * 17, 64, bidirectional=True, returns="last"),
        nn.Linear(2 * 64, 10))
"""
from torch import nn


class MapToSequence(nn.Module):
    """[N, C, H, W] -> [N, W, C*H]: a sequence over the W frames, features in C, H order."""

    def forward(self, x):
        n, c, h, w = x.shape
        return x.permute(0, 3, 1, 2).reshape(n, w, c * h)


class SequenceToMap(nn.Module):
    """[N, T, F] -> [N, channels, F / channels, T]: the inverse of MapToSequence."""

    def __init__(self, channels):
        super().__init__()
        self.channels = channels

    def forward(self, x):
        n, t, f = x.shape
        return x.reshape(n, t, self.channels, f // self.channels).permute(0, 2, 3, 1)

    def extra_repr(self):
        return f"channels={self.channels}"


class GRULayer(nn.Module):
    """nn.GRU(batch_first=True) returning either its whole output sequence [N, T, D*hidden]
    (returns="sequence") or, with returns="last", the final state of each direction of the top
    layer [N, D*hidden] (h_n: the forward state after the last step, then the backward state
    after the first; for one direction this is out[:, -1]). Dropout between layers acts in
    training only, as in nn.GRU."""

    def __init__(self, input_size, hidden_size, num_layers=1, bidirectional=False, bias=True, returns="last",
                 dropout=0.0):
        super().__init__()
        if returns not in ("sequence", "last"):
            raise ValueError(f"returns must be 'sequence' or 'last', not {returns!r}")
        self.returns = returns
        self.gru = nn.GRU(input_size, hidden_size, num_layers=num_layers, bias=bias, batch_first=True,
                          dropout=dropout, bidirectional=bidirectional)

    def forward(self, x):
        out, h_n = self.gru(x)
        if self.returns == "sequence":
            return out
        directions = 2 if self.gru.bidirectional else 1
        top = h_n[-directions:]  # [D, N, H]
        return top.transpose(0, 1).reshape(x.shape[0], directions * self.gru.hidden_size)

    def extra_repr(self):
        return f"returns={self.returns!r}"


class TimePool(nn.Module):
    """[N, T, F] -> [N, F]: the mean, maximum or last step over time."""

    def __init__(self, mode):
        super().__init__()
        if mode not in ("mean", "max", "last"):
            raise ValueError(f"mode must be 'mean', 'max' or 'last', not {mode!r}")
        self.mode = mode

    def forward(self, x):
        if self.mode == "mean":
            return x.mean(dim=1)
        if self.mode == "max":
            return x.amax(dim=1)
        return x[:, -1]

    def extra_repr(self):
        return f"mode={self.mode!r}"
