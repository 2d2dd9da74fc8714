// The gl API reference: every name an experiment cell can call, once, with its signature,
// its PyTorch counterpart and a line in Korean and in English. The site's API page
// (tutorials/<lang>/api.md, rendered by chapters/api-reference.js at build time) is made from
// this list, and tests/wasm/api-reference.test.mjs checks it against the real objects: a
// name listed here that does not exist, or a function, class, method, getter or field of gl
// or of the cell's globals that is not listed, fails the test.
//
// An entry: names (the first is the row's; the others are the same call under another name
// or its siblings), sig (as code calls it), torch (PyTorch's spelling, '' if none), ko, en.
// Names: a cell global (print, console.log), a path from gl (gl.nn.LSTM), a method or getter
// of a class as Class.name (Tensor.add, Module.parameters, LSTM.stepGrads), or a static field.
// A class entry may list `fields` (its objects' own fields) and `make` (an expression that
// builds one, for the test to look at the fields). Text may use Markdown code spans.

const e = (names, sig, torch, ko, en, more = {}) => ({ names: [].concat(names), sig, torch, ko, en, ...more });

export const API_GROUPS = [
  {
    id: 'globals',
    ko: { title: '셀에 있는 이름', intro: '`gl` 말고도 실험 코드에는 다음 이름이 있습니다. 코드에서 같은 이름으로 자기 변수를 선언하면 코드 안에서는 그 선언이 이깁니다.' },
    en: { title: 'Names a cell has', intro: 'Besides `gl`, experiment code has these names. Code may declare its own variable with one of them; inside the code, the declaration wins.' },
    entries: [
      e('gl', 'gl', 'torch', '엔진: 텐서, 자동 미분, 층, 옵티마이저, 분석, 과제. 아래의 모든 `gl.…`', 'The engine: tensors, autograd, layers, optimisers, analysis, tasks: every `gl.…` below'),
      e('print', 'print(a, b, …)', 'print(a, b)', '콘솔에 한 줄을 씁니다. 값은 빈칸으로 잇고, 텐서는 PyTorch처럼, 배열과 객체는 짧게 보여 줍니다', 'Writes one line to the console: values joined by spaces, tensors as PyTorch prints them, arrays and objects in short'),
      e(['console', 'console.log', 'console.info', 'console.debug', 'console.warn', 'console.error'], 'console.log(…), .info, .debug, .warn, .error', '', '`print`와 같되 수준이 붙습니다(경고와 오류는 색이 다릅니다)', 'As `print`, with a level (warnings and errors have their own colour)'),
      e('plot', "plot({ title, x, series }) · plot({ kind: 'heatmap', z }) · plot({ kind: 'histogram', values }) · plot({ kind: 'graph', of: loss })", 'plt.plot', '그래프를 그리거나 같은 `id`(기본값은 `title`)의 그래프를 갱신합니다. 필드는 [실험실 사용법](#lang=ko&chapter=reference)의 *그래프*', 'Draws a plot, or updates the one with the same `id` (by default its `title`); the fields are in the [Lab reference](#lang=en&chapter=reference), *Plots*'),
      e('knob', "knob(label, value, { min, max, step }) · knob(label, 'a', { options }) · knob(label, text, { kind: 'text', rows }) · knob(label, null, { kind: 'file', accept })", '', "편집기 위에 조절 장치(슬라이더, 칸, 메뉴, 체크박스, 글상자, 파일 고르기)를 만들고 지금 값을 돌려줍니다. 파일 노브의 값은 `null`이거나 `{ name, size, bytes, text() }`", "Puts a control (slider, field, menu, checkbox, text area, file picker) above the editor and returns its current value; a file knob's is `null` or `{ name, size, bytes, text() }`"),
      e('download', "download(name, bytes | text, { type })", '', '셀 출력에 "저장: 이름 (크기)" 단추를 만듭니다. 읽는 사람이 눌러야 저장됩니다(한 번 실행에 파일 8개, 하나에 16 MB까지)', 'Puts a "Save: name (size)" button in the cell\'s output; the file is saved only when the reader clicks it (8 files a run, 16 MB each)'),
      e('progress', 'progress(step, total)', 'tqdm', '진행 막대와 남은 시간을 보여 줍니다', 'Shows a progress bar and the time left'),
      e('seed', 'seed', 'torch.manual_seed(seed)', '셀의 시드(0 이상의 정수). `gl`의 난수는 실행 전에 이미 이 값으로 고정됩니다', "The cell's seed (an integer >= 0); gl's random numbers are seeded with it before the code runs"),
    ],
  },
  {
    id: 'creation',
    ko: { title: '텐서 만들기와 함수', intro: '모양(shape)은 배열로 씁니다: `gl.randn([32, 10])`. 숫자 하나는 1차원 모양입니다(`gl.zeros(5)`).' },
    en: { title: 'Making tensors, and functions', intro: 'Shapes are arrays: `gl.randn([32, 10])`. A single number is a 1-D shape (`gl.zeros(5)`).' },
    entries: [
      e('gl.manualSeed', 'gl.manualSeed(seed)', 'torch.manual_seed(seed)', '난수를 고정합니다', 'Seeds the random numbers'),
      e(['gl.randn', 'gl.rand'], 'gl.randn(shape, { requiresGrad }), gl.rand(shape, …)', 'torch.randn(32, 10), torch.rand(…)', '표준 정규분포 / [0, 1) 균등분포의 난수 텐서', 'A tensor of standard normal / uniform [0, 1) random numbers'),
      e(['gl.zeros', 'gl.ones', 'gl.full'], 'gl.zeros(shape), gl.ones(shape), gl.full(shape, value)', 'torch.zeros(…), torch.ones(…), torch.full(…, v)', '0, 1, 또는 `value`로 채운 텐서(`{ requiresGrad }`도 받습니다)', 'A tensor of zeros, ones or `value` (also takes `{ requiresGrad }`)'),
      e('gl.tensor', 'gl.tensor([[1, 2], [3, 4]], { requiresGrad }) · gl.tensor(float32Array, shape)', 'torch.tensor([[1, 2], [3, 4]])', '숫자, 중첩 배열, 형식화 배열로 텐서를 만듭니다', 'A tensor from a number, nested arrays or a typed array'),
      e('gl.cat', 'gl.cat([a, b], dim = 0)', 'torch.cat((a, b), dim)', '텐서들을 한 차원을 따라 잇습니다', 'Joins tensors along one dim'),
      e('gl.where', 'gl.where(cond, a, b)', 'torch.where(cond, a, b)', '`cond`가 0이 아닌 곳은 `a`, 나머지는 `b`(텐서나 숫자, 브로드캐스트). 기울기도 고른 쪽으로만 흐르고, 고르지 않은 쪽의 NaN이나 Inf는 값에도 기울기에도 섞이지 않습니다', '`a` where `cond` is nonzero, `b` elsewhere (tensors or numbers, broadcast); the gradient flows to the side taken only, and a NaN or Inf on the other side reaches neither values nor gradients'),
      e(['gl.randperm', 'gl.randint'], 'gl.randperm(n), gl.randint(low, high, shape)', 'torch.randperm(n), torch.randint(low, high, size)', '0 … n-1의 무작위 순열 / [low, high)의 무작위 정수(정수 값을 담은 실수 텐서, `gl.manualSeed`로 재현됩니다. 2^24까지 정확)', 'A random permutation of 0 … n-1 / random integers in [low, high) (whole-number floats, reproduced by `gl.manualSeed`; exact up to 2^24)'),
      e(['gl.matmul', 'gl.bmm', 'gl.transpose', 'gl.narrow'], 'gl.matmul(a, b), gl.bmm(a, b), gl.transpose(x, d0, d1), gl.narrow(x, dim, start, length)', 'torch.matmul, torch.bmm, torch.transpose, torch.narrow', '같은 이름의 텐서 메서드와 같습니다', 'The same as the tensor methods of those names'),
      e(['gl.sigmoid', 'gl.tanh', 'gl.relu', 'gl.exp', 'gl.log', 'gl.softmax', 'gl.logSoftmax'], 'gl.sigmoid(x), gl.tanh(x), gl.relu(x), gl.exp(x), gl.log(x), gl.softmax(x, dim), gl.logSoftmax(x, dim)', 'torch.sigmoid(x), …', '원소별 함수와 소프트맥스. `x.sigmoid()`처럼 메서드로도 씁니다', 'Elementwise functions and softmax; also methods, as in `x.sigmoid()`'),
      e(['gl.sum', 'gl.mean', 'gl.norm', 'gl.max', 'gl.min', 'gl.argmax', 'gl.argmin'], 'gl.sum(x, dim, keepdim), gl.mean, gl.norm, gl.max, gl.min, gl.argmax, gl.argmin', 'torch.sum(x, dim, keepdim), …', '`x.sum(dim, keepdim)` 같은 축소 메서드와 같습니다', 'The same as the reductions `x.sum(dim, keepdim)` and so on'),
      e('gl.noGrad', 'gl.noGrad(() => { … })', 'with torch.no_grad():', '함수 안에서는 그래프를 만들지 않습니다(평가, 가중치 직접 수정)', 'Runs the function without building a graph (evaluation, editing weights by hand)'),
      e('gl.tidy', 'gl.tidy(() => { …; return kept })', '', '함수 안에서 만든 텐서를, 돌려준 것만 빼고 곧바로 해제합니다. 쓰지 않아도 메모리는 관리됩니다', 'Frees at once the tensors made inside, except what it returns; memory is managed without it too'),
      e(['gl.save', 'gl.load'], 'gl.save(model, { metadata }) → bytes · gl.load(bytes, into)', 'safetensors.torch.save(model.state_dict()), load(bytes)', 'safetensors 형식의 바이트로 저장하고 읽습니다(PyTorch의 `safetensors.torch.load_file`이 읽는 형식). `model`은 모듈, `{ 이름: 텐서 }`, `{ encoder, decoder }` 같은 모듈 묶음. `gl.load`는 `{ 이름: 텐서 }`를 돌려주고, `into`를 주면 거기에 불러옵니다', 'Saves to and reads safetensors bytes (what PyTorch\'s `safetensors.torch.load_file` reads); `model` is a module, a `{ name: tensor }` dict or modules `{ encoder, decoder }`. `gl.load` returns `{ name: tensor }`, and loads them into `into` when given'),
      e('gl.memory', 'gl.memory()', 'torch.cuda.memory_allocated()', '살아 있는 텐서 수, 엔진 힙, 한도에 대는 바이트: `{ tensors, spills, heapInUse, wasmBytes, tensorBytes, spilledBytes, budget }`', 'Live tensors, engine heap and the bytes counted against the budget: `{ tensors, spills, heapInUse, wasmBytes, tensorBytes, spilledBytes, budget }`'),
    ],
  },
  {
    id: 'tensor',
    ko: { title: '텐서', intro: '텐서는 `gl.tensor`, `gl.randn` 같은 함수와 연산이 만듭니다(`new`로 만들지 않습니다). 숫자 자리에는 텐서나 숫자를 쓸 수 있고, 모양이 다르면 브로드캐스트합니다.' },
    en: { title: 'Tensors', intro: 'Tensors are made by `gl.tensor`, `gl.randn`, … and by ops (not with `new`). Where an operand goes, a tensor or a number will do; shapes broadcast.' },
    entries: [
      e('gl.Tensor', 'x instanceof gl.Tensor', 'torch.Tensor', '텐서의 클래스(`instanceof` 검사용)', 'The class of tensors (for `instanceof`)'),
      e(['Tensor.shape', 'Tensor.size', 'Tensor.ndim', 'Tensor.numel'], 'x.shape, x.size(dim), x.ndim, x.numel()', 'x.shape, x.size(dim), x.ndim, x.numel()', '모양(배열), 한 차원의 크기, 차원 수, 원소 수', 'The shape (an array), one dim\'s size, the number of dims, of elements'),
      e(['Tensor.add', 'Tensor.sub', 'Tensor.mul', 'Tensor.div', 'Tensor.neg'], 'a.add(b), a.sub(b), a.mul(b), a.div(b), a.neg()', 'a + b, a - b, a * b, a / b, -a', '원소별 사칙연산(브로드캐스트)', 'Elementwise arithmetic (broadcasting)'),
      e(['Tensor.matmul', 'Tensor.bmm'], 'a.matmul(b), a.bmm(b)', 'a @ b, torch.bmm(a, b)', '행렬곱, 배치 행렬곱 (B, N, K)·(B, K, M)', 'Matrix product; batched (B, N, K)·(B, K, M)'),
      e(['Tensor.sigmoid', 'Tensor.tanh', 'Tensor.relu', 'Tensor.exp', 'Tensor.log', 'Tensor.square', 'Tensor.gelu'], 'x.sigmoid(), x.tanh(), x.relu(), x.exp(), x.log(), x.square(), x.gelu()', 'torch.sigmoid(x), x.tanh(), x.relu(), …, F.gelu(x)', '원소별 함수(`gelu`는 기본이 tanh 근사, `{ approximate: \'none\' }`이면 정확한 식)', "Elementwise functions (`gelu`: the tanh form unless `{ approximate: 'none' }`)"),
      e(['Tensor.sqrt', 'Tensor.abs', 'Tensor.pow', 'Tensor.floor'], 'x.sqrt(), x.abs(), x.pow(p), x.floor()', 'x.sqrt(), x.abs(), x ** p, x.floor()', '제곱근, 절댓값(0에서 기울기 0), 숫자 `p` 거듭제곱, 내림(기울기 0)', 'Square root, absolute value (gradient 0 at 0), power of a number `p`, floor (gradient 0)'),
      e('Tensor.clamp', 'x.clamp(min, max), x.clamp(null, max)', 'x.clamp(min, max), x.clamp(max=m)', '`min`과 `max` 사이로 자릅니다(한쪽은 `null`이어도 됩니다). 기울기는 경계를 포함한 안쪽에서 1, 바깥에서 0(PyTorch와 같음)', 'Clips to [`min`, `max`] (one may be `null`); the gradient is 1 inside, bounds included, and 0 outside (as PyTorch)'),
      e(['Tensor.eq', 'Tensor.ne', 'Tensor.lt', 'Tensor.le', 'Tensor.gt', 'Tensor.ge'], 'a.eq(b), a.ne(b), a.lt(b), a.le(b), a.gt(b), a.ge(b)', 'a == b, a != b, a < b, a <= b, a > b, a >= b', '원소별 비교(텐서나 숫자, 브로드캐스트). 참이면 1, 거짓이면 0이고 기울기는 없습니다', 'Elementwise comparisons (a tensor or a number, broadcast): 1 where true, 0 where false, no gradient'),
      e(['Tensor.isnan', 'Tensor.isfinite'], 'x.isnan(), x.isfinite()', 'torch.isnan(x), torch.isfinite(x)', 'NaN인 곳 / 유한한 곳이 1인 텐서', '1 where the element is NaN / finite'),
      e(['Tensor.softmax', 'Tensor.logSoftmax'], 'x.softmax(dim = -1), x.logSoftmax(dim = -1)', 'x.softmax(-1), x.log_softmax(-1)', '한 차원을 따라 소프트맥스 / 로그 소프트맥스', 'Softmax / log-softmax along a dim'),
      e(['Tensor.sum', 'Tensor.mean', 'Tensor.norm'], 'x.sum(), x.sum(dim, keepdim), x.mean(…), x.norm(…)', 'x.sum(dim=1, keepdim=True), …', '전체나 한 차원의 합, 평균, L2 노름(행렬은 프로베니우스 노름)', 'Sum, mean, L2 norm (Frobenius for a matrix) of everything or along a dim'),
      e(['Tensor.max', 'Tensor.min'], 'x.max(), const [values, indices] = x.max(dim, keepdim)', 'values, idx = x.max(dim=1)', '가장 큰(작은) 원소. 차원을 주면 `[values, indices]`(`.values`, `.indices`도 있음)', 'The largest (smallest) element; along a dim `[values, indices]` (also `.values`, `.indices`)'),
      e(['Tensor.argmax', 'Tensor.argmin'], 'x.argmax(dim, keepdim), x.argmin(…)', 'x.argmax(dim)', '가장 큰(작은) 원소의 인덱스(정수 값을 담은 실수 텐서)', 'Index of the largest (smallest) element, as whole-number floats'),
      e(['Tensor.t', 'Tensor.T', 'Tensor.transpose'], 'x.t(), x.T, x.transpose(), x.transpose(d0, d1)', 'x.T, x.transpose(1, 2)', '2차원 전치, 또는 두 차원 맞바꾸기', '2-D transpose, or two dims swapped'),
      e(['Tensor.select', 'Tensor.narrow'], 'x.select(dim, i), x.narrow(dim, start, length)', 'x[:, t], x.narrow(2, 0, d)', '한 위치를 골라 그 차원을 없애기 / 한 구간 잘라 내기', 'Take one position (dropping that dim) / a slice'),
      e('Tensor.indexSelect', 'x.indexSelect(dim, index)', 'x.index_select(dim, idx), x[:, idx]', '`dim`을 따라 `index`(정수 값을 담은 1차원 텐서나 배열, 음수는 끝에서부터)의 위치를 골라 모읍니다. 같은 위치를 여러 번 고르면 기울기가 더해집니다', 'Gathers the positions `index` (a 1-D tensor of whole numbers or an array; negative ones count from the end) along `dim`; a position taken twice gets both gradients'),
      e(['Tensor.permute', 'Tensor.expand'], 'x.permute(2, 0, 1), x.expand(3, -1)', 'x.permute(2, 0, 1), x.expand(3, -1)', '차원의 순서 바꾸기 / 크기 1인 차원(과 앞에 새로 붙인 차원)을 되풀이해 늘리기(`-1`은 크기 그대로, 역전파는 합)', 'Reorders the dims / repeats size-1 (and new leading) dims (`-1` keeps a size; backward sums)'),
      e('Tensor.copy_', 'x.copy_(src)', 'x.copy_(src), with torch.no_grad(): p -= lr * p.grad', '`src`(브로드캐스트되는 텐서나 숫자)를 이 텐서의 값에 그 자리에서 써 넣고 이 텐서를 돌려줍니다. 기울기가 필요한 잎 텐서에는 `gl.noGrad` 안에서만 됩니다(PyTorch와 같음). 층의 파라미터에 쓰면 층이 새 값을 씁니다', 'Writes `src` (a tensor broadcast to this shape, or a number) into this tensor\'s own values and returns it; on a leaf that requires grad only inside `gl.noGrad` (as PyTorch). Written into a layer\'s parameter, the layer uses the new values'),
      e(['Tensor.reshape', 'Tensor.view'], 'x.reshape(2, -1), x.view([2, -1])', 'x.reshape(2, -1), x.view(2, -1)', '원소는 그대로 두고 모양을 바꿉니다', 'Same elements, another shape'),
      e(['Tensor.backward'], 'loss.backward(), y.backward(gradient)', 'loss.backward()', '이 스칼라(또는 `gradient`를 준 텐서)에서 역전파합니다', 'Backpropagates from this scalar (or from any tensor given a gradient of its shape)'),
      e(['Tensor.grad', 'Tensor.zeroGrad', 'Tensor.clearGrad'], 'x.grad, x.zeroGrad(), x.clearGrad()', 'x.grad, x.grad.zero_(), x.grad = None', '`backward()` 뒤의 ∂L/∂x(없으면 `null`) / 0으로 지우기 / 아예 없애기(옵티마이저가 이 파라미터를 건너뜁니다)', '∂L/∂x after `backward()` (or `null`) / zero it / drop it (optimisers then skip the parameter)'),
      e(['Tensor.requiresGrad', 'Tensor.requiresGrad_', 'Tensor.isLeaf', 'Tensor.retainGrad'], 'x.requiresGrad, x.requiresGrad_(true), x.isLeaf, h.retainGrad()', 'x.requires_grad, x.requires_grad_(), x.is_leaf, h.retain_grad()', '그라디언트를 모을지, 잎 텐서인지, 중간 텐서도 `grad`를 간직할지', 'Whether it gathers gradients, is a leaf, and (retainGrad) whether an intermediate keeps its `grad`'),
      e(['Tensor.detach', 'Tensor.op'], 'x.detach(), x.op', 'x.detach(), x.grad_fn', '그래프에서 떼어 낸 복사본 / 이 텐서를 만든 연산 이름(입력과 파라미터는 `leaf`)', 'A copy cut from the graph / the name of the op that made it (`leaf` for inputs and parameters)'),
      e(['Tensor.item', 'Tensor.toArray'], 'x.item(), x.toArray(), String(x)', 'x.item(), x.flatten().tolist(), print(x)', '원소 하나의 값 / 모든 값(Float32Array, 행 우선) / PyTorch식 출력', 'The value of a one-element tensor / all values (Float32Array, row-major) / PyTorch-style text'),
      e(['Tensor.dispose', 'Tensor.keep', 'Tensor.isDisposed'], 'x.dispose(), x.keep(), x.isDisposed', 'del x', '메모리를 곧바로 풀기 / `gl.tidy`에서 살려 두기 / 풀렸는지', 'Free the memory now / survive `gl.tidy` / whether it was freed'),
    ],
  },
  {
    id: 'layers',
    ko: { title: '층과 모듈', intro: '층은 `new`로 만들고 `forward`로 부릅니다. 순환 층은 배치가 먼저인 입력 (B, T, D)를 받습니다(`batchFirst: false`면 (T, B, D)). 모든 층은 `gl.nn.Module`이고, 자기 클래스를 `class M extends gl.nn.Module`로 만들 수 있습니다.' },
    en: { title: 'Layers and modules', intro: 'Layers are made with `new` and called with `forward`. Recurrent layers take batch-first input (B, T, D) (or (T, B, D) with `batchFirst: false`). Every layer is a `gl.nn.Module`; `class M extends gl.nn.Module` makes your own.' },
    entries: [
      e(['gl.nn.Module', 'Module.forward'], 'class M extends gl.nn.Module { forward(x) { … } }', 'class M(nn.Module)', '모듈의 바탕 클래스. 필드에 둔 층과 파라미터를 스스로 찾습니다', 'The base class of modules; it finds the layers and parameters in its fields'),
      e(['Module.parameters', 'Module.numParameters', 'Module.zeroGrad'], 'm.parameters(), m.numParameters(), m.zeroGrad()', 'm.parameters(), sum(p.numel() …), m.zero_grad()', '모든 파라미터(한 번씩) / 그 원소 수 / 그라디언트 지우기', 'Every parameter (once each) / how many numbers / zero their gradients'),
      e(['Module.stateDict', 'Module.loadStateDict'], 'm.stateDict() → { name: tensor }, m.loadStateDict(dict, { strict })', 'm.state_dict(), m.load_state_dict(d, strict)', "PyTorch와 같은 이름(`'encoder.weight_ih_l0'`)의 파라미터 사전 / 그 값을 제자리에 복사. 빠진 키, 모르는 키, 모양이 다른 텐서는 PyTorch의 문구로 알려 줍니다", "The parameters by PyTorch's names (`'encoder.weight_ih_l0'`) / copies values into them in place; missing and unexpected keys and shape mismatches are errors in PyTorch's words"),
      e(['Module.train', 'Module.eval', 'Module.training'], 'm.train(), m.eval(), m.training', 'm.train(), m.eval(), m.training', '학습 모드와 평가 모드(Dropout은 평가 모드에서 그대로 통과)', 'Training and evaluation mode (Dropout passes values through in eval)'),
      e(['gl.nn.Linear', 'Linear.forward'], 'new gl.nn.Linear(inFeatures, outFeatures, { bias }); lin.forward(x)', 'nn.Linear(30, 20); lin(x)', '`(*, in)` → `(*, out)` 선형 변환', 'Affine map `(*, in)` → `(*, out)`', { fields: ['weight', 'bias', 'inFeatures', 'outFeatures'], make: 'new gl.nn.Linear(3, 4)' }),
      e(['gl.nn.RNN', 'RNN.forward'], "new gl.nn.RNN(inputSize, hiddenSize, { numLayers, nonlinearity: 'tanh' | 'relu', bias, batchFirst }); const [out, hN] = rnn.forward(x, h0)", "nn.RNN(10, 20, nonlinearity='relu', batch_first=True)", '바닐라 순환 층. 시간 방향 역전파(BPTT)는 엔진 안에서 합니다', 'A vanilla recurrent layer; backprop through time runs inside the engine', { fields: ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'numLayers', 'bias', 'batchFirst', 'nonlinearity', 'inputSize', 'hiddenSize'], make: 'new gl.nn.RNN(3, 4)' }),
      e(['gl.nn.LSTM', 'LSTM.forward'], 'new gl.nn.LSTM(inputSize, hiddenSize, { numLayers, bias, batchFirst, forgetBias }); const [out, [hN, cN]] = lstm.forward(x, [h0, c0])', 'nn.LSTM(10, 20, num_layers=2, batch_first=True)', 'LSTM 층. `forgetBias`는 망각 게이트 편향의 처음 값(예: 1)', 'An LSTM layer; `forgetBias` sets the forget gate\'s initial bias (say 1)', { fields: ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'numLayers', 'bias', 'batchFirst', 'inputSize', 'hiddenSize'], make: 'new gl.nn.LSTM(3, 4)' }),
      e(['gl.nn.GRU', 'GRU.forward'], 'new gl.nn.GRU(inputSize, hiddenSize, { numLayers, bias, batchFirst }); const [out, hN] = gru.forward(x, h0)', 'nn.GRU(10, 20)', 'GRU 층', 'A GRU layer', { fields: ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'numLayers', 'bias', 'batchFirst', 'inputSize', 'hiddenSize'], make: 'new gl.nn.GRU(3, 4)' }),
      e(['RNN.namedParameters', 'LSTM.namedParameters', 'GRU.namedParameters'], 'lstm.namedParameters()', 'lstm.named_parameters()', 'PyTorch의 순서대로 `[[이름, 파라미터], …]`. 층 k의 가중치는 `weight_hh_l{k}` 같은 필드이기도 합니다', "`[[name, parameter], …]` in PyTorch's order; layer k's weights are also fields such as `weight_hh_l{k}`"),
      e(['RNN.stepGrads', 'LSTM.stepGrads', 'GRU.stepGrads'], 'const { dh, dc } = lstm.stepGrads({ call })', 'h_t.retain_grad() for every t', '`backward()` 뒤, 모든 t의 ∂L/∂h_t(LSTM은 ∂L/∂c_t도), (B, T, H)', 'After `backward()`: ∂L/∂h_t (and for an LSTM ∂L/∂c_t) for every t, (B, T, H)'),
      e(['gl.nn.RNNCell', 'gl.nn.LSTMCell', 'gl.nn.GRUCell', 'RNNCell.forward', 'LSTMCell.forward', 'GRUCell.forward', 'RNNCell.namedParameters', 'LSTMCell.namedParameters', 'GRUCell.namedParameters'],
        'new gl.nn.LSTMCell(inputSize, hiddenSize, { bias }); [h, c] = cell.forward(x, [h, c]); h = rnnCell.forward(x, h)', 'nn.LSTMCell(10, 20); h, c = cell(x, (h, c))', '한 시간 단계만 계산하는 셀. 시간 반복문은 코드에서 씁니다(`RNNCell`은 `nonlinearity`도 받습니다)', 'One time step; the loop over time is in your code (`RNNCell` also takes `nonlinearity`)', { fields: ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh', 'bias', 'inputSize', 'hiddenSize'], make: 'new gl.nn.LSTMCell(3, 4)' }),
      e(['gl.nn.LayerNorm', 'LayerNorm.forward'], 'new gl.nn.LayerNorm(E, { eps, elementwiseAffine })', 'nn.LayerNorm(E)', '마지막 차원에 대한 층 정규화', 'Layer normalisation over the last dim', { fields: ['weight', 'bias', 'eps', 'normalizedShape'], make: 'new gl.nn.LayerNorm(4)' }),
      e(['gl.nn.Embedding', 'Embedding.forward'], 'new gl.nn.Embedding(numEmbeddings, embeddingDim); emb.forward(ids)', 'nn.Embedding(N, E)', '토큰 id(정수 텐서나 배열) → 벡터', 'Token ids (a tensor of whole numbers or an array) → vectors', { fields: ['weight', 'numEmbeddings', 'embeddingDim'], make: 'new gl.nn.Embedding(5, 4)' }),
      e(['gl.nn.Dropout', 'Dropout.forward'], 'new gl.nn.Dropout(p = 0.5)', 'nn.Dropout(0.1)', '학습 모드에서 비율 p의 원소를 0으로 만들고 나머지를 1/(1-p)배 합니다', 'In training mode zeroes a fraction p and scales the rest by 1/(1-p)', { fields: ['p'], make: 'new gl.nn.Dropout(0.1)' }),
      e(['gl.nn.ReLU', 'gl.nn.Tanh', 'gl.nn.Sigmoid', 'gl.nn.GELU', 'ReLU.forward', 'Tanh.forward', 'Sigmoid.forward', 'GELU.forward'], "new gl.nn.ReLU(), new gl.nn.Tanh(), new gl.nn.Sigmoid(), new gl.nn.GELU({ approximate: 'tanh' })", 'nn.ReLU(), nn.Tanh(), nn.Sigmoid(), nn.GELU()', '`Sequential` 안에 넣는 활성화 함수 모듈', 'Activation modules, for a `Sequential`', { fields: ['approximate'], make: 'new gl.nn.GELU()' }),
      e(['gl.nn.Sequential', 'Sequential.forward', 'Sequential.append'], 'new gl.nn.Sequential(m1, m2, …); seq.forward(x); seq[0]; seq.append(m)', 'nn.Sequential(…); seq[0]', '모듈을 차례로 거칩니다', 'Runs modules one after another', { fields: ['0'], make: 'new gl.nn.Sequential(new gl.nn.ReLU())' }),
      e(['gl.nn.MultiheadAttention', 'MultiheadAttention.forward'], 'new gl.nn.MultiheadAttention(E, H, { bias, dropout, batchFirst }); const [out, w] = mha.forward(q, k, v, { keyPaddingMask, causal, needWeights })', 'nn.MultiheadAttention(E, H, batch_first=True)', '멀티헤드 어텐션. `w`는 헤드 평균 어텐션 가중치', 'Multi-head attention; `w` holds the attention weights averaged over heads', { fields: ['inProjWeight', 'inProjBias', 'outProj', 'embedDim', 'numHeads', 'headDim', 'dropout', 'batchFirst'], make: 'new gl.nn.MultiheadAttention(4, 2)' }),
      e(['gl.nn.TransformerBlock', 'TransformerBlock.forward'], "new gl.nn.TransformerBlock(E, H, { normFirst, residual, activation, dimFeedforward, dropout, batchFirst }); block.forward(x, { keyPaddingMask, causal }); const [y, w] = block.forward(x, { needWeights: true })", 'the article\'s TransformerBlock(E, H)', '어텐션과 피드포워드 블록: 글처럼 post-LN, `normFirst`면 pre-LN, `residual: false`면 잔차 연결 없음. C++ 엔진에 있는 블록 구현 하나로 계산하며, 필드 `attention`, `norm1`, `ffn`, `norm2`는 같은 파라미터를 쓰는 모듈입니다. `needWeights: true`면 헤드별 어텐션 가중치 `w` (B, H, T, T)도 돌려줍니다', 'Attention and feed-forward: post-LN as in the article, pre-LN with `normFirst`, no residuals with `residual: false`. One block in the engine (C++) computes it; the fields `attention`, `norm1`, `ffn`, `norm2` are modules over the same parameters. With `needWeights: true` it also returns the attention weights per head, `w` (B, H, T, T)', { fields: ['attention', 'norm1', 'ffn', 'norm2', 'dropout1', 'dropout2', 'normFirst', 'residual', 'batchFirst'], make: 'new gl.nn.TransformerBlock(4, 2)' }),
      e('gl.nn.positionalEncoding', 'gl.nn.positionalEncoding(T, E)', '', '사인·코사인 위치 인코딩 (T, E)', 'Sinusoidal positional encoding (T, E)'),
    ],
  },
  {
    id: 'losses',
    ko: { title: '손실과 nn.functional', intro: '클래스 대상(target)과 토큰 id는 정수 값을 담은 텐서나 보통 배열입니다.' },
    en: { title: 'Losses and nn.functional', intro: 'Class targets and token ids are tensors of whole numbers, or plain arrays.' },
    entries: [
      e(['gl.nn.functional.mseLoss', 'gl.nn.MSELoss', 'MSELoss.forward'], 'gl.nn.functional.mseLoss(p, y); new gl.nn.MSELoss().forward(p, y)', 'F.mse_loss(p, y), nn.MSELoss()', '평균 제곱 오차', 'Mean squared error'),
      e(['gl.nn.functional.bceLoss', 'gl.nn.BCELoss', 'BCELoss.forward'], 'gl.nn.functional.bceLoss(p, y)', 'F.binary_cross_entropy(p, y)', '확률 p에 대한 이진 교차 엔트로피', 'Binary cross-entropy of probabilities p'),
      e(['gl.nn.functional.bceWithLogits', 'gl.nn.BCEWithLogitsLoss', 'BCEWithLogitsLoss.forward'], 'gl.nn.functional.bceWithLogits(logits, y, { reduction })', 'F.binary_cross_entropy_with_logits', '로짓에 대한 이진 교차 엔트로피(수치적으로 안정)', 'Binary cross-entropy of logits (numerically stable)', { fields: ['reduction'], make: 'new gl.nn.BCEWithLogitsLoss()' }),
      e(['gl.nn.functional.crossEntropy', 'gl.nn.CrossEntropyLoss', 'CrossEntropyLoss.forward'], 'gl.nn.functional.crossEntropy(logits, y, { ignoreIndex, reduction })', 'F.cross_entropy(logits, y, ignore_index=-100)', '로짓 (N, C)와 클래스 인덱스 (N)의 교차 엔트로피', 'Cross-entropy of logits (N, C) and class indices (N)', { fields: ['ignoreIndex', 'reduction'], make: 'new gl.nn.CrossEntropyLoss()' }),
      e(['gl.nn.functional.nllLoss', 'gl.nn.NLLLoss', 'NLLLoss.forward'], 'gl.nn.functional.nllLoss(logProbs, y, { ignoreIndex, reduction })', 'F.nll_loss', '로그 확률에 대한 음의 로그 우도', 'Negative log-likelihood of log-probabilities', { fields: ['ignoreIndex', 'reduction'], make: 'new gl.nn.NLLLoss()' }),
      e(['gl.nn.functional.sigmoid', 'gl.nn.functional.tanh', 'gl.nn.functional.relu', 'gl.nn.functional.gelu', 'gl.nn.functional.softmax', 'gl.nn.functional.logSoftmax'], 'gl.nn.functional.relu(x), .softmax(x, dim), …', 'F.relu(x), F.softmax(x, dim), …', '텐서 메서드와 같은 함수들', 'The same as the tensor methods'),
      e(['gl.nn.functional.dropout', 'gl.nn.functional.layerNorm'], 'gl.nn.functional.dropout(x, p, training), .layerNorm(x, E, { weight, bias, eps })', 'F.dropout, F.layer_norm', '모듈 없이 쓰는 드롭아웃과 층 정규화', 'Dropout and layer normalisation without a module'),
    ],
  },
  {
    id: 'optim',
    ko: { title: '옵티마이저와 클리핑', intro: '옵티마이저는 파라미터 배열이나 모듈을 받습니다.' },
    en: { title: 'Optimisers and clipping', intro: 'An optimiser takes an array of parameters, or a module.' },
    entries: [
      e('gl.optim.SGD', 'new gl.optim.SGD(params, { lr, momentum, dampening, weightDecay, nesterov, maximize })', 'optim.SGD(params, lr=0.1, momentum=0.9)', '확률적 경사 하강법(`lr`은 꼭 줍니다)', 'Stochastic gradient descent (`lr` is required)'),
      e(['gl.optim.Adam', 'gl.optim.AdamW'], 'new gl.optim.Adam(params, { lr, betas, eps, weightDecay, amsgrad, maximize }), new gl.optim.AdamW(…)', 'optim.Adam(params, lr=1e-3), optim.AdamW(params, weight_decay=0.01)', 'Adam(기본 lr 1e-3), 가중치 감쇠를 분리한 AdamW(기본 weightDecay 0.01)', 'Adam (lr 1e-3 by default); AdamW with decoupled weight decay (0.01 by default)'),
      e('gl.optim.RMSprop', 'new gl.optim.RMSprop(params, { lr, alpha, eps, weightDecay, momentum, centered, maximize })', 'optim.RMSprop(params, centered=True)', 'RMSprop(기본 lr 1e-2)', 'RMSprop (lr 1e-2 by default)'),
      e(['gl.optim.Optimizer', 'Optimizer.step', 'Optimizer.zeroGrad'], 'opt.step(), opt.zeroGrad()', 'opt.step(), opt.zero_grad()', '모든 옵티마이저의 바탕: 한 단계 갱신 / 그라디언트 지우기', 'The base of every optimiser: one update / zero the gradients'),
      e(['Optimizer.lr', 'Optimizer.paramGroups', 'Optimizer.steps'], 'opt.lr = 0.01; opt.paramGroups[0].lr; opt.steps', "opt.param_groups[0]['lr'] = 0.01", '학습률(바꿀 수 있음), PyTorch식 paramGroups, 지금까지의 단계 수', 'The learning rate (settable), PyTorch-style paramGroups, the steps taken so far'),
      e('gl.nn.utils.clipGradNorm', 'gl.nn.utils.clipGradNorm(params, maxNorm, { normType, errorIfNonfinite })', 'nn.utils.clip_grad_norm_(params, max_norm=1.0)', '그라디언트 전체의 노름을 `maxNorm` 이하로 줄이고, 줄이기 전 노름을 돌려줍니다(그라디언트가 무한하면 `Infinity`/`NaN`)', 'Scales all gradients so their total norm is at most `maxNorm`; returns the norm before (`Infinity`/`NaN` if a gradient is)'),
      e('gl.nn.utils.clipGradValue', 'gl.nn.utils.clipGradValue(params, clipValue)', 'nn.utils.clip_grad_value_(params, 0.5)', '그라디언트의 각 원소를 [-clipValue, clipValue]로 자릅니다', 'Clamps each gradient element to [-clipValue, clipValue]'),
      e('gl.nn.utils.gradNorm', 'gl.nn.utils.gradNorm(params, { normType })', '', '자르지 않고 그라디언트 전체의 노름만 잽니다', 'Measures the gradients\' total norm without clipping'),
      e(['gl.nn.utils.l1Penalty', 'gl.nn.utils.l2Penalty'], 'loss.add(gl.nn.utils.l2Penalty(params, λ))', 'λ * sum(p.pow(2).sum() …)', '손실에 더하는 미분 가능한 L1/L2 벌점 항', 'Differentiable L1/L2 terms to add to the loss'),
      e(['gl.utils.EarlyStopping', 'EarlyStopping.step', 'EarlyStopping.reset', 'EarlyStopping.shouldStop', 'EarlyStopping.best', 'EarlyStopping.bestStep', 'EarlyStopping.numBadSteps', 'EarlyStopping.numSteps', 'EarlyStopping.stoppedStep', 'EarlyStopping.reason'],
        "const es = new gl.utils.EarlyStopping({ patience, minDelta, mode: 'min' | 'max', checkFinite }); if (es.step(valLoss)) break;", '', '검증 지표가 `patience`번 나아지지 않으면(또는 무한해지면) `step`이 true. `best`, `bestStep`, `reason`, `shouldStop`, `numBadSteps`, `numSteps`, `stoppedStep`, `reset()`', '`step` answers true once the metric has not improved `patience` times (or went non-finite); also `best`, `bestStep`, `reason`, `shouldStop`, `numBadSteps`, `numSteps`, `stoppedStep`, `reset()`', { fields: ['mode', 'patience', 'minDelta'], make: 'new gl.utils.EarlyStopping()' }),
    ],
  },
  {
    id: 'init',
    ko: { title: '초기화 (gl.nn.init)', intro: '모두 텐서를 제자리에서 채우고 그 텐서를 돌려줍니다. PyTorch의 밑줄 표기(`orthogonal_`, `kaiming_normal_`)도 그대로 씁니다.' },
    en: { title: 'Initialisation (gl.nn.init)', intro: "Each fills a tensor in place and returns it. PyTorch's underscore spellings (`orthogonal_`, `kaiming_normal_`) work too." },
    entries: [
      e(['gl.nn.init.orthogonal', 'gl.nn.init.orthogonal_'], 'gl.nn.init.orthogonal(W, gain = 1)', 'nn.init.orthogonal_(W)', '무작위 직교 행렬(모든 특이값이 1)', 'A random orthogonal matrix (every singular value 1)'),
      e(['gl.nn.init.eye', 'gl.nn.init.eye_'], 'gl.nn.init.eye(W, gain = 1)', 'nn.init.eye_(W)', '단위 행렬의 gain배(IRNN의 W_hh)', 'gain times the identity (the IRNN\'s W_hh)'),
      e(['gl.nn.init.xavierUniform', 'gl.nn.init.xavierNormal', 'gl.nn.init.xavier_uniform_', 'gl.nn.init.xavier_normal_'], 'gl.nn.init.xavierUniform(W, gain = 1), .xavierNormal(…)', 'nn.init.xavier_uniform_(W)', 'Xavier(Glorot) 초기화', 'Xavier (Glorot) initialisation'),
      e(['gl.nn.init.kaimingUniform', 'gl.nn.init.kaimingNormal', 'gl.nn.init.kaiming_uniform_', 'gl.nn.init.kaiming_normal_'], "gl.nn.init.kaimingNormal(W, { a, mode: 'fan_in' | 'fan_out', nonlinearity })", "nn.init.kaiming_normal_(W, mode='fan_out')", 'He(Kaiming) 초기화', 'He (Kaiming) initialisation'),
      e(['gl.nn.init.uniform', 'gl.nn.init.normal', 'gl.nn.init.constant', 'gl.nn.init.zeros', 'gl.nn.init.ones', 'gl.nn.init.uniform_', 'gl.nn.init.normal_', 'gl.nn.init.constant_', 'gl.nn.init.zeros_', 'gl.nn.init.ones_'], 'gl.nn.init.uniform(t, a, b), .normal(t, mean, std), .constant(t, v), .zeros(t), .ones(t)', 'nn.init.uniform_(t, a, b), …', '균등분포, 정규분포, 상수로 채우기', 'Uniform, normal or constant values'),
      e(['gl.nn.init.fillSlice', 'gl.nn.init.fill_slice_'], 'gl.nn.init.fillSlice(b, start, length, value)', 'b.data[H:2*H].fill_(1)', '평평하게 본 텐서의 한 구간을 채웁니다(LSTM 망각 게이트 편향: `fillSlice(b, H, H, 1)`)', 'Fills a stretch of the flattened tensor (the LSTM forget-gate bias: `fillSlice(b, H, H, 1)`)'),
      e(['gl.nn.init.spectralRadius', 'gl.nn.init.spectral_radius_'], 'gl.nn.init.spectralRadius(W, ρ = 1)', '', '가우시안 행렬을 뽑아 스펙트럼 반지름이 ρ가 되게 크기를 맞춥니다', 'Draws a Gaussian W and rescales it to spectral radius ρ'),
      e(['gl.nn.init.scaleSpectralRadius', 'gl.nn.init.scale_spectral_radius_'], 'gl.nn.init.scaleSpectralRadius(W, ρ)', '', '이미 있는 W의 크기를 스펙트럼 반지름 ρ로 맞춥니다', 'Rescales the W already there to spectral radius ρ'),
      e('gl.nn.init.calculateGain', "gl.nn.init.calculateGain('tanh')", "nn.init.calculate_gain('tanh')", '비선형 함수에 권장되는 gain', 'The gain recommended for a nonlinearity'),
    ],
  },
  {
    id: 'analysis',
    ko: { title: '선형대수와 분석', intro: '기울기 소실과 폭발을 재는 도구입니다. 결과는 보통 숫자 배열이나 `{ values, shape }`이며 그대로 `plot`에 넣을 수 있습니다.' },
    en: { title: 'Linear algebra and analysis', intro: 'Tools that measure vanishing and exploding gradients. Results are mostly number arrays or `{ values, shape }`, ready for `plot`.' },
    entries: [
      e(['gl.linalg.spectralRadius', 'gl.linalg.singularValues', 'gl.linalg.eigvals'], 'gl.linalg.spectralRadius(W), .singularValues(W), .eigvals(W) → { real, imag }', 'torch.linalg.eigvals(W).abs().max(), torch.linalg.svdvals(W)', '스펙트럼 반지름 ρ(W), 특이값, 고윳값', 'Spectral radius ρ(W), singular values, eigenvalues'),
      e('gl.analysis.stepGradNorms', 'gl.analysis.stepGradNorms(layer) → { dh, dc }', '[h.grad.norm() for h in hs]', '`backward()` 뒤 모든 t의 ‖∂L/∂h_t‖(LSTM은 ‖∂L/∂c_t‖도)', 'After `backward()`: ‖∂L/∂h_t‖ for every t (and ‖∂L/∂c_t‖ for an LSTM)'),
      e(['gl.analysis.preactivations', 'gl.analysis.slopes'], "gl.analysis.preactivations(rnn, x, h0) → z (B, T, H); gl.analysis.slopes(z, 'tanh')", '', '한 층짜리 RNN의 사전 활성값 z_t와 원소별 기울기 σ\'(z_t)', "A one-layer RNN's pre-activations z_t and the slopes σ'(z_t)"),
      e('gl.analysis.jacobianNorms', 'gl.analysis.jacobianNorms(rnn, x, { h0, batchIndex, from }) → { from, norms, last }', '', '야코비안 곱 ∂h_t/∂h_k의 노름(t = k+1 … T)', 'Norms of the Jacobian products ∂h_t/∂h_k (t = k+1 … T)'),
      e(['gl.analysis.spectrum', 'gl.analysis.powerNorms'], 'gl.analysis.spectrum(W) → { rho, singularValues, eigReal, eigImag }; gl.analysis.powerNorms(W, K)', '', 'W의 스펙트럼 / k = 1 … K에 대한 ‖W^k‖₂', "W's spectrum / ‖W^k‖₂ for k = 1 … K"),
      e(['gl.analysis.SpectralTracker', 'SpectralTracker.record'], 'const tr = new gl.analysis.SpectralTracker(); tr.record(step, W)', '', '학습하는 동안 ρ(W_hh)와 특이값을 기록합니다(`steps`, `rho`, `singularValues`)', 'Records ρ(W_hh) and the singular values as training runs (`steps`, `rho`, `singularValues`)', { fields: ['steps', 'rho', 'singularValues'], make: 'new gl.analysis.SpectralTracker()' }),
      e('gl.analysis.saturation', 'gl.analysis.saturation(rnn, x, { h0, bins }) → { rho, meanSlope, rhoEff, saturatedFraction, … }', '', '포화 정도와 유효 반지름 ρ_eff = ρ(W_hh)·E[σ\'(z)]', "Saturation and the effective radius ρ_eff = ρ(W_hh)·E[σ'(z)]"),
      e('gl.analysis.histogram', 'gl.analysis.histogram(t, { bins, lo, hi })', 'torch.histc', '텐서 값의 히스토그램(개수)', "Counts of a tensor's values in equal bins"),
      e('gl.analysis.clip', "gl.analysis.clip(params, { mode: 'norm' | 'value', threshold }) → { normBefore, normAfter, cosine, clippedFraction }", '', '그라디언트를 자르고, 자르기 전후의 노름과 방향(코사인)을 알려 줍니다', 'Clips the gradients and reports the norms before and after, and the direction kept (cosine)'),
      e(['gl.analysis.lstmTrace', 'gl.analysis.forgetGates', 'gl.analysis.cellStateJacobian'], 'gl.analysis.lstmTrace(lstm, x) → { i, f, g, o, c, h }; .forgetGates(lstm, x); .cellStateJacobian(lstm, x, t, { batchIndex })', '', 'LSTM의 게이트와 상태, 망각 게이트 f_t(= ∂c_t/∂c_{t-1}), 자동 미분으로 구한 ∂c_t/∂c_{t-1}', "An LSTM's gates and states, the forget gates f_t (= ∂c_t/∂c_{t-1}), and ∂c_t/∂c_{t-1} by autograd"),
      e('gl.graph', "gl.graph(t, { backward, names, maxNodes }) → { nodes, edges, order, steps }", 'torchviz.make_dot(loss)', "`t` 뒤의 자동 미분 그래프(노드, 간선, `backward()`가 노드를 실행하는 순서). `backward: true`면 `t.backward()`를 실행하며 단계마다 받은 기울기와 더한 양을 기록합니다. `plot({ kind: 'graph', of })`로 그립니다", "The autograd graph behind `t` (nodes, edges, the order `backward()` runs the nodes in); `backward: true` runs `t.backward()` and records, step by step, the gradient each node received and what it added into each input. Draw it with `plot({ kind: 'graph', of })`"),
      e(['gl.experiments.list', 'gl.experiments.run'], "gl.experiments.list(); await gl.experiments.run(name, { rho: 1.1 }, { onProgress, every })", '', '글 004의 주장을 확인하는 엔진 내장 실험들(CLI와 같은 코드)', "The engine's built-in experiments for article 004's claims (the CLI's code)"),
    ],
  },
  {
    id: 'tasks',
    ko: { title: '과제', intro: '장기 의존성을 시험하는 합성 데이터입니다.' },
    en: { title: 'Tasks', intro: 'Synthetic data that tests long-range memory.' },
    entries: [
      e(['gl.tasks.AddingProblem', 'AddingProblem.batch', 'AddingProblem.baselineMSE'], 'const task = new gl.tasks.AddingProblem({ T, seed }); const { x, y } = task.batch(B)', '', '덧셈 문제: x (B, T, 2), y (B, 1). 아무것도 기억하지 못하는 모델의 MSE는 `AddingProblem.baselineMSE`(1/6)', 'The adding problem: x (B, T, 2), y (B, 1); a model that remembers nothing scores `AddingProblem.baselineMSE` (1/6)', { fields: ['T'], make: 'new gl.tasks.AddingProblem({ T: 10 })' }),
      e(['gl.tasks.CopyTask', 'CopyTask.batch'], 'const task = new gl.tasks.CopyTask({ symbols, delay, alphabet, seed }); task.batch(B)', '', '복사 과제: 기호를 읽고, 기다렸다가, 되쓰기. `T`, `classes`, `baselineCrossEntropy`', 'The copy task: read symbols, wait, write them back; `T`, `classes`, `baselineCrossEntropy`', { fields: ['T', 'classes', 'baselineCrossEntropy'], make: 'new gl.tasks.CopyTask({ symbols: 2, delay: 3 })' }),
      e(['gl.tasks.NumberReading', 'NumberReading.PAD', 'NumberReading.BOS', 'NumberReading.EOS', 'NumberReading.batch', 'NumberReading.batchOf', 'NumberReading.reading', 'NumberReading.encode', 'NumberReading.decode', 'NumberReading.decodeSource'], "const task = new gl.tasks.NumberReading({ language: 'ko' | 'en', minDigits, maxDigits, seed, padSource: 'end' | 'start' }); const { source, decoderInput, target, sourceLengths, targetLengths, sources, targets } = task.batch(B)", '', '숫자 읽기: 아라비아 숫자를 한국어(1204 → 천이백사, 35000 → 삼만 오천) 또는 영어 읽기로. source (B, S), decoderInput (B, T) = BOS + 정답, target (B, T) = 정답 + EOS, 빈칸은 PAD = 0(특수 id는 `NumberReading.PAD`, `.BOS`, `.EOS`). `batchOf(numbers)`, `reading(n)`, `decode(ids)`(EOS에서 멈춤), `sourceTokens`, `targetTokens`, `targetVocabSize`', 'Number readings: Arabic numerals to their reading in Korean (Sino-Korean numerals, groups of 10^4 spaced) or English (1204 → one thousand two hundred four). source (B, S), decoderInput (B, T) = BOS + target, target (B, T) = target + EOS, PAD = 0 fills the rest (the special ids are `NumberReading.PAD`, `.BOS`, `.EOS`). `batchOf(numbers)`, `reading(n)`, `decode(ids)` (stops at EOS), `sourceTokens`, `targetTokens`, `targetVocabSize`', { fields: ['language', 'minDigits', 'maxDigits', 'sourceTokens', 'targetTokens', 'sourceVocabSize', 'targetVocabSize', 'maxTargetLength'], make: "new gl.tasks.NumberReading({ language: 'en', maxDigits: 3 })" }),
      e(['gl.tasks.PairsTask', 'PairsTask.PAD', 'PairsTask.BOS', 'PairsTask.EOS', 'PairsTask.batch', 'PairsTask.slice', 'PairsTask.pairs', 'PairsTask.encode', 'PairsTask.decode', 'PairsTask.decodeSource'], "const task = new gl.tasks.PairsTask({ text, seed, maxLength, maxPairs, padSource }); task.batch(B); task.slice(start, count)", '', "내 쌍: 한 줄에 한 쌍, 원문과 번역을 탭 또는 ' -> '로 나눕니다. 빈 줄과 #으로 시작하는 줄은 건너뜁니다. 잘못된 줄은 줄 번호와 함께 알려 줍니다. 배치는 NumberReading과 같습니다", "Your own pairs: one per line, source and target separated by a tab or ' -> '; blank lines and lines starting with # are skipped; a bad line is named by its number. Batches as NumberReading's", { fields: ['size', 'sourceTokens', 'targetTokens', 'sourceVocabSize', 'targetVocabSize'], make: "new gl.tasks.PairsTask({ text: 'a -> b' })" }),
    ],
  },
];

/** Every documented name, once. */
export function documentedNames() {
  return API_GROUPS.flatMap((g) => g.entries.flatMap((x) => x.names));
}
