"""nn.Embedding: a lookup table (weight ~ N(0, 1)) indexed by int64 ids."""
from .. import functional as F
from .._bridge import call, gl, unsupported
from ..parameter import Parameter
from .module import Module


class Embedding(Module):
    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0,
                 scale_grad_by_freq=False, sparse=False, _weight=None, _freeze=False, device=None, dtype=None):
        super().__init__()
        if padding_idx is not None or max_norm is not None or scale_grad_by_freq or sparse:
            raise unsupported('nn.Embedding(padding_idx, max_norm, scale_grad_by_freq, sparse)')
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.padding_idx = None
        self.max_norm = None
        if _weight is not None:
            self.weight = Parameter(_weight, requires_grad=not _freeze)
        else:
            made = call('nn.Embedding', gl.nn.Embedding.new, num_embeddings, embedding_dim)
            self.weight = Parameter._of(made.weight)

    def forward(self, input):
        return F.embedding(input, self.weight)

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, padding_idx=None, max_norm=None, norm_type=2.0,
                        scale_grad_by_freq=False, sparse=False):
        rows, dim = (int(d) for d in embeddings._gl.shape)
        return cls(rows, dim, _weight=embeddings, _freeze=freeze)

    def extra_repr(self):
        return f'{self.num_embeddings}, {self.embedding_dim}'
