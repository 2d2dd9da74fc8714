// torch.utils.data in Python cells: TensorDataset, DataLoader batching as PyTorch's default
// collate, drop_last, and a shuffle seeded from the engine's RNG (torch.manual_seed).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadPython } from './python-harness.mjs';
import { runPy, pyError } from './torch-nn-helpers.mjs';

let py;
before(async () => { py = await loadPython(); });

const DATA = `
from torch.utils.data import DataLoader, Dataset, TensorDataset
X = torch.arange(10).float().reshape(10, 1) * torch.ones(10, 3)   # row i is [i, i, i]
y = torch.arange(10)                                               # int64 labels
ds = TensorDataset(X, y)
`;

test('TensorDataset: len, and item i is (X[i], y[i]) keeping dtypes', async () => {
  const [len, item, dtypes] = await runPy(py, `${DATA}
emit(len(ds))
x3, y3 = ds[3]
emit([x3.tolist(), y3.item()])
emit([str(x3.dtype), str(y3.dtype)])
`);
  assert.equal(len, 10);
  assert.deepEqual(item, [[3, 3, 3], 3]);
  assert.deepEqual(dtypes, ['torch.float32', 'torch.int64']);
  const e = await pyError(py, 'from torch.utils.data import TensorDataset\nTensorDataset(torch.zeros(3, 2), torch.zeros(4))');
  assert.match(e.message, /Size mismatch between tensors/);
});

test('DataLoader without shuffle: batches in order, a short last batch, len(loader); drop_last drops it', async () => {
  const [len, batches, dropped] = await runPy(py, `${DATA}
loader = DataLoader(ds, batch_size=4)
emit(len(loader))
emit([[list(xb.shape), yb.tolist(), str(yb.dtype), xb[:, 0].tolist() == [float(v) for v in yb.tolist()]] for xb, yb in loader])
loader = DataLoader(ds, batch_size=4, drop_last=True)
emit([len(loader), [yb.tolist() for _, yb in loader]])
`);
  assert.equal(len, 3);
  assert.deepEqual(batches, [
    [[4, 3], [0, 1, 2, 3], 'torch.int64', true],
    [[4, 3], [4, 5, 6, 7], 'torch.int64', true],
    [[2, 3], [8, 9], 'torch.int64', true],
  ]);
  assert.deepEqual(dropped, [2, [[0, 1, 2, 3], [4, 5, 6, 7]]]);
});

test('shuffle=True: every sample once per epoch, rows stay paired, the order changes per epoch and torch.manual_seed reproduces it', async () => {
  const [epochs, again] = await runPy(py, `${DATA}
def orders():
    loader = DataLoader(ds, batch_size=3, shuffle=True)
    out = []
    for _ in range(2):
        order = []
        for xb, yb in loader:
            assert xb[:, 0].tolist() == [float(v) for v in yb.tolist()], 'rows and labels paired'
            order += yb.tolist()
        out.append(order)
    return out
torch.manual_seed(7)
first = orders()
torch.manual_seed(7)
emit(first); emit(orders())
`);
  for (const order of epochs) assert.deepEqual([...order].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.notDeepEqual(epochs[0], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.notDeepEqual(epochs[0], epochs[1]);
  assert.deepEqual(again, epochs);
});

test('a Dataset of your own is batched by the default collate: tensors stacked, numbers to tensors, tuples as lists', async () => {
  const [kinds] = await runPy(py, `
from torch.utils.data import DataLoader, Dataset
class Squares(Dataset):
    def __len__(self):
        return 5
    def __getitem__(self, i):
        return torch.tensor([float(i), float(i * i)]), i, 0.5 * i
batch = next(iter(DataLoader(Squares(), batch_size=4)))
emit([type(batch).__name__, list(batch[0].shape), batch[0].tolist(), batch[1].tolist(), str(batch[1].dtype), batch[2].tolist(), str(batch[2].dtype)])
`);
  assert.deepEqual(kinds, ['list', [4, 2], [[0, 0], [1, 1], [2, 4], [3, 9]], [0, 1, 2, 3], 'torch.int64', [0, 0.5, 1, 1.5], 'torch.float32']);
});

test('DataLoader argument errors name the argument', async () => {
  const e = await pyError(py, 'from torch.utils.data import DataLoader\nDataLoader([1, 2], batch_size=0)');
  assert.equal(e.name, 'ValueError');
  assert.match(e.message, /batch_size should be a positive integer value, but got batch_size=0/);
});
