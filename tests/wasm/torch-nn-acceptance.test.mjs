// The shapes of the articles' PyTorch code, in our own code: a Transformer block on (10, 32, 512),
// an LSTM cell written with nn.Linear gates, two classifiers (RNN and LSTM) trained five epochs
// on random binary labels (loss near ln 2), and a training loop with clip_grad_norm_.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadPython } from './python-harness.mjs';

let py;
before(async () => { py = await loadPython(); });

async function run(code) {
  const r = await py.run(code, { seed: 0 });
  if (r.error) throw new Error(`${r.error.name}: ${r.error.message} (line ${r.error.line})\n${r.output}`);
  return r.lines;
}

test('a residual attention block with LayerNorm and a feed-forward net keeps (10, 32, 512)', async () => {
  const lines = await run(`
import torch
import torch.nn as nn

class Block(nn.Module):
    def __init__(self, width, n_heads):
        super(Block, self).__init__()
        self.attn = nn.MultiheadAttention(width, n_heads)
        self.ln_a = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.ReLU(), nn.Linear(4 * width, width))
        self.ln_b = nn.LayerNorm(width)

    def forward(self, h):
        mixed, _ = self.attn(h, h, h)
        h = self.ln_a(h + mixed)
        return self.ln_b(h + self.mlp(h))

block = Block(512, 8)
seq = torch.randn(10, 32, 512)      # (length, batch, width): PyTorch's default layout
print("shape:", block(seq).shape)
`);
  assert.deepEqual(lines, ['shape: torch.Size([10, 32, 512])']);
});

test('an LSTM cell written by hand with nn.Linear gates: shapes and the update c = f·c + i·g', async () => {
  const lines = await run(`
import torch
import torch.nn as nn

class GateCell(nn.Module):
    def __init__(self, n_in, n_hidden):
        super(GateCell, self).__init__()
        width = n_in + n_hidden
        self.gate_in, self.gate_forget = nn.Linear(width, n_hidden), nn.Linear(width, n_hidden)
        self.gate_out, self.candidate = nn.Linear(width, n_hidden), nn.Linear(width, n_hidden)

    def forward(self, x, h, c):
        both = torch.cat((x, h), dim=1)
        i, f = torch.sigmoid(self.gate_in(both)), torch.sigmoid(self.gate_forget(both))
        o, g = torch.sigmoid(self.gate_out(both)), torch.tanh(self.candidate(both))
        c = f * c + i * g
        return o * torch.tanh(c), c

cell = GateCell(10, 20)
x = torch.randn(32, 10)
h, c = torch.zeros(32, 20), torch.zeros(32, 20)
h, c = cell(x, h, c)
print("h:", h.shape, "c:", c.shape)
print(len(list(cell.parameters())), sum(p.numel() for p in cell.parameters()))
`);
  assert.deepEqual(lines, ['h: torch.Size([32, 20]) c: torch.Size([32, 20])', `8 ${4 * (30 * 20 + 20)}`]);
});

test('RNN and LSTM classifiers trained 5 epochs on random labels end near ln 2 = 0.693', async () => {
  const lines = await run(`
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
steps, count = 30, 320
inputs = torch.randn(count, steps, 10)
labels = torch.randint(0, 2, (count,))
batches = DataLoader(TensorDataset(inputs, labels), batch_size=32)

class Recurrent(nn.Module):
    def __init__(self, kind):
        super(Recurrent, self).__init__()
        self.body = kind(10, 20, batch_first=True)
        self.head = nn.Linear(20, 1)

    def forward(self, x):
        seq, _ = self.body(x)
        return torch.sigmoid(self.head(seq[:, -1, :]))

for kind in (nn.RNN, nn.LSTM):
    net = Recurrent(kind)
    opt = optim.Adam(net.parameters(), lr=0.001)
    loss_fn = nn.BCELoss()
    net.train()
    for epoch in range(5):
        total = 0.0
        for xb, yb in batches:
            opt.zero_grad()
            loss = loss_fn(net(xb).squeeze(), yb.float())
            loss.backward()
            opt.step()
            total += loss.item()
        print(f"{kind.__name__} {epoch + 1} {total / len(batches):.4f}")
`);
  assert.equal(lines.length, 10);
  for (const line of lines) {
    const loss = Number(line.split(' ')[2]);
    assert.ok(Math.abs(loss - Math.log(2)) < 0.05, `${line}: a loss near ln 2 on random labels`);
  }
});

test('a training loop with clip_grad_norm_ keeps every step\'s gradient norm at most max_norm', async () => {
  const lines = await run(`
import torch
import torch.nn as nn

torch.manual_seed(1)
rnn = nn.RNN(4, 16)
nn.init.normal_(rnn.weight_hh_l0, std=1.0)       # an exploding recurrence
head = nn.Linear(16, 1)
params = list(rnn.parameters()) + list(head.parameters())
opt = torch.optim.SGD(params, lr=0.01)
x, y = torch.randn(40, 8, 4), torch.randn(8, 1)
before, after = [], []
for step in range(5):
    opt.zero_grad()
    out, h = rnn(x)
    loss = ((head(h[-1]) - y) ** 2).mean()
    loss.backward()
    before.append(torch.nn.utils.clip_grad_norm_(params, max_norm=1.0).item())
    after.append(sum((p.grad ** 2).sum().item() for p in params) ** 0.5)
    opt.step()
print(min(before) > 1.0, max(after) < 1.0 + 1e-4)
`);
  assert.deepEqual(lines, ['True True']);
});
