"""torch.nn.utils.rnn: packed sequences are not in the lab (its recurrent layers take padded (T, B, D) tensors)."""
from .._bridge import module_getattr

__getattr__ = module_getattr('torch.nn.utils.rnn', {
    name: 'the lab\'s recurrent layers take whole padded batches; pad sequences to one length yourself'
    for name in ('pack_padded_sequence', 'pad_packed_sequence', 'pack_sequence', 'pad_sequence', 'PackedSequence')
})
