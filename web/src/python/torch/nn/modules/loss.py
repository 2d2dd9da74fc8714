"""Loss modules: each calls its nn.functional counterpart with the options it was made with."""
from .. import functional as F
from .._bridge import unsupported
from .module import Module


class _Loss(Module):
    def __init__(self, size_average=None, reduce=None, reduction='mean'):
        super().__init__()
        F._reduction(type(self).__name__, reduction, size_average, reduce)
        self.reduction = reduction


class MSELoss(_Loss):
    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class BCELoss(_Loss):
    def __init__(self, weight=None, size_average=None, reduce=None, reduction='mean'):
        super().__init__(size_average, reduce, reduction)
        if weight is not None:
            raise unsupported('nn.BCELoss(weight=...)')
        self.weight = None

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    def __init__(self, weight=None, size_average=None, reduce=None, reduction='mean', pos_weight=None):
        super().__init__(size_average, reduce, reduction)
        if weight is not None or pos_weight is not None:
            raise unsupported('nn.BCEWithLogitsLoss(weight=..., pos_weight=...)')
        self.weight = self.pos_weight = None

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, reduction=self.reduction)


class CrossEntropyLoss(_Loss):
    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean',
                 label_smoothing=0.0):
        super().__init__(size_average, reduce, reduction)
        if weight is not None or label_smoothing:
            raise unsupported('nn.CrossEntropyLoss(weight=..., label_smoothing=...)')
        self.ignore_index = ignore_index
        self.weight = None
        self.label_smoothing = 0.0

    def forward(self, input, target):
        return F.cross_entropy(input, target, ignore_index=self.ignore_index, reduction=self.reduction)


class NLLLoss(_Loss):
    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean'):
        super().__init__(size_average, reduce, reduction)
        if weight is not None:
            raise unsupported('nn.NLLLoss(weight=...)')
        self.ignore_index = ignore_index
        self.weight = None

    def forward(self, input, target):
        return F.nll_loss(input, target, ignore_index=self.ignore_index, reduction=self.reduction)
