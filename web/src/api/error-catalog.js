// Error messages in the reader's language. The engine (C++, GL_CHECK and bindings/guard.h),
// the gl API (web/src/api) and the runner (web/src/runner) speak English; their messages
// are what people search for, so they stay as they are. A Korean page shows, beside the
// English, a Korean sentence made from the message's shape: each rule below is a regular
// expression over an English phrasing, and its Korean keeps the values (shapes, numbers,
// names) exactly as the English has them. A message no rule knows gets a Korean lead and the
// English. tests/wasm/error-catalog.test.mjs measures which of the sources' message formats
// the rules cover. Pure: no DOM.

// Call names in front ("MultiheadAttention: randn: ..."; "knob('ρ'): ..."; "experiment 'x': ...")
// are kept as they are, and the rest is translated.
const PREFIX = /^((?:lstm analysis|experiment parameters|[\w.$[\]]+(?:\([^)]*\))?|experiment '[^']*'|parameter \d+(?: '[^']*')?): )/;

// Words inside messages that read better in Korean; anything else (names, shapes) stays.
const WORDS = {
  input: '입력', target: '목표값', bias: '편향', biases: '편향', weight: '가중치', index: '인덱스',
  value: '값', values: '값', key: '키', query: '쿼리', state: '상태', 'the state': '상태',
};
const word = (w) => WORDS[w] ?? w;

// [pattern, Korean]: the first match wins, so the specific come before the general.
const RULES = [
  // -- the reader's code as the runner sees it ----------------------------------------------
  [/^this is a JavaScript cell, and '(.*)' is Python: write it with gl.*$/s,
    (m) => `이 셀은 자바스크립트 셀인데, '${m[1]}'은(는) 파이썬 코드입니다. 실험실의 자바스크립트 API인 gl로 써 주세요(torch.zeros(3)은 gl.zeros([3])입니다).`],
  [/^'import' and 'export' are not available in an experiment.*$/,
    () => "실험 코드에서는 'import'와 'export'를 쓸 수 없습니다. 엔진은 이미 gl로 들어와 있습니다."],
  [/^'import\(\)' is not available in an experiment.*$/,
    () => "실험 코드에서는 'import()'를 쓸 수 없습니다. 네트워크 없이 실행되며, 엔진은 이미 gl로 들어와 있습니다."],
  [/^(\S+) is not defined$/, (m) => `${m[1]}이라는 이름이 정의되어 있지 않습니다.`],
  // -- the engine's threads (engine/src/core/threads.cpp) --------------------------------------
  [/^n must be in \[1, 1\] \(this engine is built without threads\), got (.+)$/s,
    (m) => `n은(는) 1이어야 합니다. 받은 값: ${m[1]}. 이 엔진은 스레드 없이 빌드된 것입니다(스레드 엔진은 교차 출처 격리된 페이지에서만 실행됩니다).`],
  [/^n must be in \[1, (\d+)\] \(the threads this engine has\), got (.+)$/s,
    (m) => `n은(는) 이 엔진이 가진 스레드 수에 맞게 [1, ${m[1]}] 범위에 있어야 합니다. 받은 값: ${m[2]}`],
  [/^(\S+) is not a function$/, (m) => `${m[1]}은(는) 함수가 아닙니다.`],
  [/^Cannot read properties of (undefined|null) \(reading '(.*)'\)$/,
    (m) => `${m[1]} 값에서 '${m[2]}' 속성을 읽을 수 없습니다.`],
  [/^Unexpected token(.*)$/, (m) => `문법 오류: 예상하지 못한 토큰입니다${m[1]}.`],
  [/^Unterminated (string constant|template|comment|regular expression)$/, () => '문법 오류: 닫히지 않은 문자열이나 주석이 있습니다.'],
  [/^Identifier '(.*)' has already been declared$/, (m) => `'${m[1]}'은(는) 이미 선언된 이름입니다.`],
  [/^Assignment to constant variable\.$/, () => 'const로 선언한 변수에 다시 값을 넣을 수 없습니다.'],
  // -- parallel() (runner/parallel.js) -------------------------------------------------------
  [/^item (\d+) \((.*?)\) failed: (.*)$/s,
    (m) => {
      const inner = localizeError(m[3], 'ko'); // the reader's own message stays as it is
      return `항목 ${m[1]}(${m[2]})에서 오류가 났습니다: ${inner.matched ? inner.text : m[3]}`;
    }],
  [/^workers must be a whole number from (\d+) to (\d+), got (.*)$/s,
    (m) => `workers는 ${m[1]}에서 ${m[2]} 사이의 정수여야 합니다. 받은 값: ${m[3]}`],
  [/^unknown option '(.*)' \(the options are (\w+) and (\w+)\)$/,
    (m) => `알 수 없는 옵션 '${m[1]}'입니다. 옵션은 ${m[2]}와 ${m[3]}입니다.`],
  [/^not available here; it runs in the lab's experiment worker and in (.*)$/,
    (m) => `여기서는 parallel을 쓸 수 없습니다. 실험실의 실험 워커와 ${m[1]}에서 돌아갑니다.`],
  [/^(.+?) is (.+?), which cannot leave its worker.*$/s,
    (m) => `${parallelWhat(m[1])} ${{ 'a function': '함수', 'a symbol': '심볼' }[m[2]] ?? m[2]}라서 워커 밖으로 보낼 수 없습니다. 평범한 데이터(숫자, 문자열, 배열, 객체, 타입 배열)를 돌려주세요.`],
  [/^(.+?) is a (\S+), which would arrive without its methods; return plain data: numbers, strings, arrays, objects, typed arrays(.*)$/s,
    (m) => {
      const hint = /for a tensor/.test(m[3]) ? '(텐서는 t.toArray()나 t.item()으로)' : m[3].trim();
      return `${parallelWhat(m[1])} ${m[2]}라서 메서드 없이 도착합니다. 평범한 데이터(숫자, 문자열, 배열, 객체, 타입 배열)를 돌려주세요${hint}.`;
    }],
  [/^items is empty; give at least one item to run fn on$/, () => 'items가 비어 있습니다. fn을 돌릴 항목을 하나 이상 주세요.'],
  [/^(\d+) items, more than the (\d+) one call runs; split them into several calls$/,
    (m) => `항목이 ${m[1]}개로, 한 번의 호출로 돌릴 수 있는 ${m[2]}개보다 많습니다. 여러 번으로 나눠 부르세요.`],
  [/^fn cannot call parallel\(\) itself: a parallel run does not nest$/, () => 'fn 안에서 parallel()을 다시 부를 수 없습니다. parallel은 겹쳐 쓸 수 없습니다.'],
  [/^the code before parallel\(\) ran differently in a worker \((\d+) items in the cell's run, (\d+) in the worker's\).*$/s,
    (m) => `parallel() 앞의 코드가 워커에서 다르게 실행되었습니다(셀에서는 항목 ${m[1]}개, 워커에서는 ${m[2]}개). 이 코드는 Math.random이나 시계처럼 실행할 때마다 달라지는 것에 기대면 안 됩니다.`],
  [/^another parallel\(\) call is still running; await it first$/, () => '다른 parallel() 호출이 아직 돌고 있습니다. 먼저 await로 끝나기를 기다리세요.'],
  [/^in its worker, item (\d+)'s run of the cell ended without reaching this parallel\(\) call.*$/s,
    (m) => `항목 ${m[1]}의 워커에서 셀이 이 parallel() 호출에 닿기 전에 끝났습니다. 호출 앞의 코드는 매번 똑같이 돌아야 합니다.`],
  [/^the worker for item (\d+) did not start: (.*)$/s, (m) => `항목 ${m[1]}의 워커가 시작되지 않았습니다: ${m[2]}`],
  [/^the worker for item (\d+) crashed: (.*)$/s, (m) => `항목 ${m[1]}의 워커가 멈췄습니다: ${m[2]}`],
  // -- the autograd graph view: gl.graph (api/graph.js, engine/src/analysis/graph.cpp), plot({ kind: 'graph' }) --
  [/^the graph through a tensor made by (.+?) was already freed by backward\(\); capture it before backward\(\).*$/s,
    (m) => `${m[1]}이(가) 만든 텐서를 지나는 그래프는 이미 backward()로 풀렸습니다. 그래프는 backward() 전에 잡으세요. gl.graph(t)를 부른 다음 t.backward()를 부르거나, gl.graph(t, { backward: true })로 backward()를 실행하며 단계마다 기록하면 됩니다.`],
  [/^the graph behind this tensor has more than (\d+) nodes.*$/s,
    (m) => `이 텐서 뒤의 그래프에는 노드가 ${m[1]}개보다 많습니다. 더 작은 부분(더 짧은 시퀀스, 더 적은 층)이나 배치 원소 하나의 손실을 그려 보세요.`],
  [/^maxNodes must be in \[(\d+), (\d+)\], got (.+)$/, (m) => `maxNodes는 [${m[1]}, ${m[2]}] 범위 안이어야 합니다. 받은 값: ${m[3]}`],
  [/^backward needs a scalar \(a loss\) to start from 1, got shape (.+?); .*$/,
    (m) => `backward는 스칼라(손실)에서 1로 시작해야 합니다. 받은 모양: ${m[1]}. 먼저 sum()이나 mean()을 부르세요.`],
  [/^names must be a gl\.nn\.Module or an object \{ name: tensor or module \}, got (.+)$/s,
    (m) => `names에는 gl.nn.Module이나 { 이름: 텐서 또는 모듈 } 꼴의 객체를 주세요. 받은 값: ${m[1]}`],
  [/^names\.(.+?) must be a tensor or a gl\.nn\.Module, got (.+)$/s, (m) => `names.${m[1]}은(는) 텐서나 gl.nn.Module이어야 합니다. 받은 값: ${m[2]}`],
  [/^backward must be true or false, got (.+)$/s, (m) => `backward는 true나 false여야 합니다. 받은 값: ${m[1]}`],
  [/^backward and names go with of: a tensor; .*$/s, () => 'backward와 names는 of에 텐서를 줄 때만 씁니다. 그 밖에는 gl.graph(t, { backward, names })에 주세요.'],
  [/^a graph needs of: a tensor or what gl\.graph\(t\) returns, got (.+)$/s, (m) => `그래프에는 of로 텐서나 gl.graph(t)가 돌려준 값을 주세요. 받은 값: ${m[1]}`],
  [/^a graph of (\d+) nodes; at most (\d+) can be drawn$/, (m) => `노드가 ${m[1]}개인 그래프입니다. ${m[2]}개까지만 그릴 수 있습니다.`],
  [/^(.+?) is not a node id \(0 to (-?\d+)\): (.+)$/s, (m) => `${m[1]}은(는) 노드 id(0에서 ${m[2]})가 아닙니다: ${m[3]}`],
  [/^(.+?) must be a summary object, got (.+)$/s, (m) => `${m[1]}은(는) 요약 객체여야 합니다. 받은 값: ${m[2]}`],
  // -- the sandbox's refusals (worker.js names the cause; the page adds why) -----------------
  [/^(?:Failed to fetch|NetworkError.*|.*Content Security Policy.*|.*Refused to connect.*)$/s,
    () => '샌드박스가 네트워크 요청을 막았습니다.'],
  [/^Failed to execute 'importScripts'.*$/s, () => '샌드박스가 스크립트 불러오기를 막았습니다.'],
  // -- the engine did not start (runner.js, engine.js, sandbox.js) ---------------------------
  [/^the engine did not start within (.+) s$/, (m) => `엔진이 ${m[1]}초 안에 시작하지 않았습니다.`],
  [/^the engine did not start: (.*)$/s, (m) => `엔진이 시작하지 못했습니다: ${m[1]}`],
  [/^Python did not start within (.+) s$/, (m) => `Python이 ${m[1]}초 안에 시작하지 않았습니다.`],
  [/^Python did not start: (.*)$/s, (m) => `Python이 시작하지 못했습니다: ${m[1]}`],
  [/^give at most a label and a value, then keywords .*$/,
    () => 'knob에는 이름표와 값만 차례로 주고, 나머지는 키워드(min=, max=, step=, options=)로 주세요.'],
  [/^the experiment worker did not start(.*)$/s, (m) => `실험 워커가 시작하지 못했습니다${m[1]}`],
  [/^the experiment worker crashed$/, () => '실험 워커가 비정상적으로 끝났습니다.'],
  [/^could not download (.+?) \((.*)\)(.*)$/s, (m) => `${m[1]}을(를) 내려받지 못했습니다 (${m[2]})${m[3]}`],
  [/^the experiment's worker sent a malformed message \((.*)\); the run was ended$/s,
    (m) => `실험 워커가 형식에 맞지 않는 메시지를 보내서(${m[1]}) 실행을 끝냈습니다.`],
  // -- PyTorch's own wording, from the torch package of Python cells (web/src/python/torch) ------
  [/^mat1 and mat2 shapes cannot be multiplied \((\d+x\d+) and (\d+x\d+)\)$/,
    (m) => `행렬곱의 두 행렬 모양이 맞지 않습니다(${m[1]}, ${m[2]}). 앞 행렬의 열 수와 뒤 행렬의 행 수가 같아야 합니다.`],
  [/^The size of tensor a \((\d+)\) must match the size of tensor b \((\d+)\) at non-singleton dimension (-?\d+)$/,
    (m) => `텐서 a의 크기(${m[1]})와 텐서 b의 크기(${m[2]})가 차원 ${m[3]}에서 맞지 않습니다. 브로드캐스트는 크기가 1인 차원에서만 됩니다.`],
  [/^shape '(.+)' is invalid for input of size (\d+)$/, (m) => `모양 '${m[1]}'은(는) 원소가 ${m[2]}개인 입력에 맞지 않습니다.`],
  [/^Dimension out of range \(expected to be in range of \[(-?\d+), (-?\d+)\], but got (-?\d+)\)$/,
    (m) => `차원이 범위를 벗어났습니다. [${m[1]}, ${m[2]}] 안이어야 하는데 ${m[3]}입니다.`],
  [/^index (-?\d+) is out of bounds for dimension (\d+) with size (\d+)$/,
    (m) => `인덱스 ${m[1]}은(는) 크기가 ${m[3]}인 차원 ${m[2]}의 범위를 벗어납니다.`],
  // -- memory --------------------------------------------------------------------------------
  [/^(?:(.+) asks for (.+?); |(.*?))tensors would use (.+?), more than this lab's budget of (.+?); dispose\(\) or tidy\(\).*$/,
    (m) => `${m[3] ?? ''}${m[1] ? `${m[1]}에 ${m[2]}가 필요해 ` : ''}텐서가 쓰는 메모리가 ${m[4]}가 되어 이 실험실의 한도 ${m[5]}를 넘습니다. 더 쓰지 않는 텐서는 dispose()나 gl.tidy()로 풀어 주세요.`],
  [/^out of memory: .*$/, () => '메모리가 부족합니다. 엔진이 텐서를 할당하지 못했습니다(크기를 줄여 보세요).'],
  [/^shape (.+?) is too large: (.+)$/, (m) => `모양 ${m[1]}이(가) 너무 큽니다: ${m[2]}`],
  [/^(.+?) is too large: (.+)$/, (m) => `${m[1]}이(가) 너무 큽니다: ${m[2]}`],
  [/^(.+?) is too large \(limit (.+) elements\)$/, (m) => `${m[1]}이(가) 너무 큽니다(한도: 원소 ${m[2]}개).`],
  [/^(.+?) is more than the (?:limit|largest tensor,) (.+)$/, (m) => `${m[1]}이(가) 한도(${m[2]})를 넘습니다.`],
  [/^this tensor was disposed .*$/,
    () => '이 텐서는 이미 해제되었습니다(dispose() 또는 gl.tidy). 나중에 쓰려면 keep()하거나 tidy에서 돌려주세요.'],
  // -- calling: arguments, options, types ---------------------------------------------------
  [/^takes (no arguments|1 argument|at most (\d+) arguments|.+?), got (.+?) \(argument (.+) is not known\)$/,
    (m) => `인자를 ${m[1] === 'no arguments' ? '받지 않는데' : `${m[2] ?? (m[1] === '1 argument' ? 1 : m[1])}개까지 받는데`} ${m[3]}개를 받았습니다(${m[4]}번째 인자는 알 수 없는 인자입니다).`],
  [/^expected at most (\d+) arguments (.*), got (\d+)$/, (m) => `인자는 ${m[1]}개까지입니다 ${m[2]}. 받은 개수: ${m[3]}`],
  [/^unknown option '(.*?)'( \(did you mean (.*)\?\))?; the options are (.*)$/,
    (m) => `'${m[1]}'은(는) 알 수 없는 옵션입니다${m[2] ? ` (${m[3]}을(를) 쓰려던 것인가요?)` : ''}. 쓸 수 있는 옵션: ${m[4]}`],
  [/^options must be an object like (.*), got (.*)$/, (m) => `옵션은 ${m[1]} 같은 객체여야 합니다. 받은 값: ${m[2]}`],
  [/^(.+?) must be a Tensor, got (.*)$/, (m) => `${m[1]}은(는) 텐서여야 합니다. 받은 값: ${m[2]}`],
  [/^expected a Tensor or a number, got (.*)$/, (m) => `텐서나 숫자가 필요합니다. 받은 값: ${m[1]}`],
  [/^(.+?) must be true or false, got (.*)$/, (m) => `${m[1]}은(는) true나 false여야 합니다. 받은 값: ${m[2]}`],
  [/^(.+?) must be (?:an integer|a positive integer|a non-negative integer|an integer >= .+|a whole number.*), got (.*)$/,
    (m) => `${m[1]}은(는) ${intKind(m[0])} 정수여야 합니다. 받은 값: ${m[2]}`],
  [/^(.+?) must be a finite number >= 0, got (.*)$/, (m) => `${m[1]}은(는) 0 이상의 유한한 수여야 합니다. 받은 값: ${m[2]}`],
  [/^(.+?) must be a finite number > 0, got (.*)$/, (m) => `${m[1]}은(는) 0보다 큰 유한한 수여야 합니다. 받은 값: ${m[2]}`],
  [/^(.+?) must be a finite number, got (.*)$/, (m) => `${m[1]}은(는) 유한한 수여야 합니다. 받은 값: ${m[2]}`],
  [/^(.+?) must be finite, got (.*)$/, (m) => `${m[1]}은(는) 유한한 값이어야 합니다. 받은 값: ${m[2]}`],
  [/^(.+?) must be a number >= 0, got (.*)$/, (m) => `${m[1]}은(는) 0 이상의 수여야 합니다. 받은 값: ${m[2]}`],
  [/^(.+?) must be a number > 0 or infinity, got (.*)$/, (m) => `${m[1]}은(는) 0보다 큰 수나 무한대여야 합니다. 받은 값: ${m[2]}`],
  [/^(.+?) must be a number, got (.*)$/, (m) => `${m[1]}은(는) 숫자여야 합니다. 받은 값: ${m[2]}`],
  [/^(.+?) must be a string, got (.*)$/, (m) => `${m[1]}은(는) 문자열이어야 합니다. 받은 값: ${m[2]}`],
  [/^(.+?) must be a function, got (.*)$/, (m) => `${m[1]}은(는) 함수여야 합니다. 받은 값: ${m[2]}`],
  [/^(.+?) must be positive(.*), got (.*)$/, (m) => `${m[1]}은(는) 0보다 커야 합니다${m[2]}. 받은 값: ${m[3]}`],
  [/^(.+?) must be in \[(.+?), (.+?)[)\]], got (.*)$/, (m) => `${m[1]}은(는) [${m[2]}, ${m[3]}${m[0].includes(')') ? ')' : ']'} 범위에 있어야 합니다. 받은 값: ${m[4]}`],
  [/^(.+?) must be at most (.+?), got (.*)$/, (m) => `${m[1]}은(는) ${m[2]} 이하여야 합니다. 받은 값: ${m[3]}`],
  [/^(.+?) must be at least (.+?), got (.*)$/, (m) => `${m[1]}은(는) ${m[2]} 이상이어야 합니다. 받은 값: ${m[3]}`],
  [/^(.+?) must be one of (.*), got (.*)$/, (m) => `${m[1]}은(는) ${m[2]} 중 하나여야 합니다. 받은 값: ${m[3]}`],
  [/^(.+?) must be ((?:'[^']*'(?:, | or ))+'[^']*'), got (.*)$/, (m) => `${m[1]}은(는) ${m[2].replace(/ or /g, ', ')} 중 하나여야 합니다. 받은 값: ${m[3]}`],
  [/^(.+?) must be an array of non-negative integers, got (.*)$/, (m) => `${m[1]}은(는) 0 이상의 정수 배열이어야 합니다. 받은 값: ${m[2]}`],
  [/^(.+?) must hold numbers, got (.*)$/, (m) => `${m[1]}에는 숫자만 들어갈 수 있습니다. 받은 값: ${m[2]}`],
  [/^(.+?) has (.+) dims \(at most 64\)$/, (m) => `${m[1]}의 차원이 ${m[2]}개입니다(최대 64개).`],
  [/^ragged nested array: (.*)$/, (m) => `중첩 배열의 길이가 고르지 않습니다: ${m[1]}`],
  [/^element (.+) is not a number: (.*)$/, (m) => `${m[1]}번째 원소가 숫자가 아닙니다: ${m[2]}`],
  [/^data must be a number, an array or a typed array, got (.*)$/, (m) => `data는 숫자, 배열, 형식화 배열 중 하나여야 합니다. 받은 값: ${m[1]}`],
  [/^keepdim needs a dim, as in (.*)$/, (m) => `keepdim은 dim과 함께 써야 합니다. 예: ${m[1]}`],
  [/^forget_?[bB]ias needs bias[=:] ?true$/, () => 'forgetBias를 쓰려면 bias가 true여야 합니다.'],
  [/^nonlinearity must be 'tanh' or 'relu', got (.*)$/, (m) => `nonlinearity는 'tanh'나 'relu'여야 합니다. 받은 값: ${m[1]}`],
  // -- shapes -------------------------------------------------------------------------------
  [/^shapes (.+?) and (.+?) cannot be broadcast together$/, (m) => `두 모양 ${m[1]}과(와) ${m[2]}은(는) 브로드캐스트할 수 없습니다.`],
  [/^(?:inner|batch) sizes differ: (.+?) (@|and) (.+?) \((.+?)\)$/, (m) => `${m[0].startsWith('inner') ? '안쪽' : '배치'} 크기가 다릅니다: ${m[1]} ${m[2]} ${m[3]} (${m[4]})`],
  [/^(input|target|bias|weight|index|value|key|query)s? (.+?) and (\w+) (.+?) must have the same shape$/,
    (m) => `${word(m[1])} ${m[2]}과(와) ${word(m[3])} ${m[4]}의 모양이 같아야 합니다.`],
  [/^(.+?) must have the shape of (.+)$/, (m) => `${m[1]}의 모양이 ${m[2]}과(와) 같아야 합니다.`],
  [/^seed gradient (.+?) does not match the tensor (.+)$/, (m) => `시드 그라디언트 ${m[1]}의 모양이 텐서 ${m[2]}와 맞지 않습니다.`],
  [/^expected (input|target|bias|weight|query|key|value|x|h0|(?!an?\b|the\b)[\w.]+) (?:of shape )?((?:\(|\[|\d).+?), got (.+?)(;.*)?$/s,
    (m) => `${word(m[1])}의 모양이 맞지 않습니다. 필요한 모양: ${m[2]}, 받은 모양: ${m[3]}${m[4] ? `${m[4]}` : ''}`],
  [/^(?:dim|index|start) (.+?) (?:is )?out of range (?:for|in) (.+)$/, (m) => `${m[0].split(' ')[0]} ${m[1]}이(가) 범위를 벗어났습니다(${m[2]}).`],
  [/^(.+?) (?:is )?out of range for (.+)$/, (m) => `${m[1]}이(가) 범위를 벗어났습니다(${m[2]}).`],
  [/^(.+?) (?:is|are) out of range (.+)$/, (m) => `${m[1]}이(가) 범위를 벗어났습니다(${m[2]}).`],
  [/^cannot reshape (.+?) into (.+)$/, (m) => `${m[1]}을(를) ${m[2]}(으)로 바꿀 수 없습니다.`],
  [/^cannot index a 0-D tensor$/, () => '0차원 텐서에는 인덱스를 쓸 수 없습니다.'],
  [/^index must hold whole numbers, got (.+?) at position (.+)$/, (m) => `인덱스에는 정수만 쓸 수 있습니다. ${m[2]}번째 값이 ${m[1]}입니다.`],
  [/^dims (.+?) must list each of the (.+?) dims of shape (.+?) once$/, (m) => `dims ${m[1]}에는 모양 ${m[3]}의 차원 ${m[2]}개가 한 번씩 모두 있어야 합니다.`],
  [/^dims (.+?) is not a permutation: dim (.+?) appears twice \(shape (.+)\)$/, (m) => `dims ${m[1]}은(는) 순열이 아닙니다. dim ${m[2]}이(가) 두 번 나옵니다(모양 ${m[3]}).`],
  [/^the expanded size (.+?) is not allowed in a leading, non-existing dimension (.+?) \(sizes (.+)\)$/,
    (m) => `새로 앞에 붙는 차원 ${m[2]}의 크기로 ${m[1]}은(는) 쓸 수 없습니다(크기 ${m[3]}).`],
  [/^the expanded size of the tensor \((.+?)\) must match the existing size \((.+?)\) at non-singleton dimension (.+?)\.\s+Target sizes: (.+?)\.\s+Tensor sizes: (.+)$/,
    (m) => `늘린 크기(${m[1]})가 크기 1이 아닌 차원 ${m[3]}의 지금 크기(${m[2]})와 같아야 합니다. 목표 크기: ${m[4]}, 텐서 크기: ${m[5]}`],
  [/^the number of sizes provided \((.+?)\) must be greater or equal to the number of dimensions in the tensor \((.+?)\)(.*)$/,
    (m) => `주어진 크기의 개수(${m[1]})는 텐서의 차원 수(${m[2]}) 이상이어야 합니다${m[3]}.`],
  [/^src of shape (.+?) cannot be broadcast to the shape (.+?) of the tensor written to$/, (m) => `src의 모양 ${m[1]}을(를) 써 넣을 텐서의 모양 ${m[2]}(으)로 브로드캐스트할 수 없습니다.`],
  [/^low (.+?) and high (.+?) must lie within \[(.+?), (.+?)\] .*$/, (m) => `low ${m[1]}과(와) high ${m[2]}은(는) [${m[3]}, ${m[4]}] 안에 있어야 합니다(float32가 정수를 정확히 담는 범위).`],
  [/^only one dim may be -1, got (.*)$/, (m) => `-1은 한 차원에만 쓸 수 있습니다. 받은 값: ${m[1]}`],
  [/^(?:sizes|batch size|length T|K|bins|symbols|delay) .*$/, (m) => `크기 값이 맞지 않습니다: ${m[0]}`],
  [/^(.+?) values do not fill shape (.+)$/, (m) => `값 ${m[1]}개로는 모양 ${m[2]}을(를) 채울 수 없습니다.`],
  [/^tensor (.+?) has shape (.+?) but tensor 0 has (.+?); only dim (.+) may differ$/,
    (m) => `텐서 ${m[1]}의 모양은 ${m[2]}인데 텐서 0은 ${m[3]}입니다. 달라도 되는 것은 dim ${m[4]}뿐입니다.`],
  [/^(?:cannot (?:reduce|join) .*|empty (?:input|tensor).*|got an empty .*|.*has no classes|the input has no time steps.*|.*has no rows|.*has no series.*)$/,
    (m) => `비어 있는 텐서나 목록은 쓸 수 없습니다: ${m[0]}`],
  [/^(.+?) is not (?:a class index|a whole number).*$/, (m) => `${m[1]}이(가) 정수가 아닙니다.`],
  [/^(.+?) is not divisible by (.+)$/, (m) => `${m[1]}이(가) ${m[2]}(으)로 나누어떨어지지 않습니다.`],
  [/^only a tensor with one element has an item, got shape (.+)$/, (m) => `item()은 원소가 하나인 텐서에만 쓸 수 있습니다. 받은 모양: ${m[1]}`],
  [/^(.+?) has (NaN|inf|-inf|\S+) at (.+)$/, (m) => `${m[1]}의 ${m[3]}에 ${m[2]}이(가) 있습니다.`],
  [/^(.+?) has a grad of shape (.+)$/, (m) => `${m[1]}의 그라디언트 모양(${m[2]})이 파라미터와 다릅니다.`],
  [/^(.+?) has spectral radius 0 .*$/, (m) => `${m[1]}의 스펙트럼 반지름이 0이라(영행렬이거나 멱영행렬) ${/rescaled to (.+)$/.exec(m[0])[1]}(으)로 크기를 맞출 수 없습니다.`],
  [/^the matrix has a non-finite entry, (.+)$/, (m) => `행렬에 유한하지 않은 값이 있습니다: ${m[1]}`],
  [/^the eigenvalue iteration did not converge for an? (.+) matrix$/, (m) => `${m[1]} 행렬의 고윳값 계산이 수렴하지 않았습니다.`],
  [/^(.+?) must (?:have shape|be) ((?:\d-D )?\(.+?\)), got (.+)$/, (m) => `${m[1]}의 모양은 ${m[2]}이어야 합니다. 받은 모양: ${m[3]}`],
  [/^sizes must be non-negative, got (.+)$/, (m) => `크기는 0 이상이어야 합니다. 받은 값: ${m[1]}`],
  [/^expected a square (?:matrix|weight_hh), got (?:shape )?(.+)$/, (m) => `정사각 행렬이 필요합니다. 받은 모양: ${m[1]}`],
  [/^expected an? (\d)-D (?:tensor|matrix), got (?:shape )?(.+)$/, (m) => `${m[1]}차원 텐서가 필요합니다. 받은 모양: ${m[2]}`],
  [/^expected a tensor with at least (\d+) dim(?:ension)?s?, got shape (.+)$/, (m) => `${m[1]}차원 이상인 텐서가 필요합니다. 받은 모양: ${m[2]}`],
  // -- autograd -----------------------------------------------------------------------------
  [/^the root must be a scalar to start from 1, got shape (.+?); .*$/,
    (m) => `backward()는 스칼라에서 시작해야 합니다. 받은 모양: ${m[1]}. 먼저 sum()이나 mean()을 부르거나, 시드 그라디언트를 넘기세요.`],
  [/^this tensor \(made by (.+?)\) does not require grad.*$/, (m) => `이 텐서(${m[1]}이(가) 만듦)는 그라디언트를 요구하지 않습니다.`],
  [/^one of the variables needed for gradient computation has been modified by an inplace operation: a tensor of shape (.+?) \(made by (.+?), used by (.+?)\) .*$/s,
    (m) => `기울기 계산에 필요한 값이 제자리 연산으로 바뀌었습니다: 모양 ${m[1]}인 텐서(${m[2]}이(가) 만들고 ${m[3]}이(가) 씀)에 그래프가 쓴 뒤 copy_로 값을 써 넣었습니다. backward() 뒤에 쓰거나 먼저 clone()하세요.`],
  [/^a leaf Variable that requires grad is being used in an in-place operation\.$/,
    () => '기울기가 필요한 잎 텐서(파라미터)에는 제자리 연산을 쓸 수 없습니다. torch.no_grad()(gl.noGrad) 안에서 쓰세요.'],
  [/^src \(made by (.+?)\) requires grad, and a copy passes no gradient back to it.*$/,
    (m) => `src(${m[1]}이(가) 만듦)는 기울기가 필요한데, 복사는 기울기를 돌려보내지 않습니다. src.detach()를 복사하거나 no_grad 안에서 복사하세요.`],
  [/^the graph through a tensor made by (.+?) was already freed.*$/s,
    (m) => `${m[1]}이(가) 만든 텐서를 지나는 그래프는 이미 backward()로 풀렸습니다. 같은 그래프에 backward()를 두 번 부를 수 없습니다.`],
  [/^no backward has run through this (?:layer|step) yet.*$/s, () => '이 층을 지난 backward()가 아직 없습니다. 먼저 출력으로 계산한 손실에 backward()를 부르세요.'],
  [/^no parameter has a gradient; run backward\(\) first$/, () => '그라디언트가 있는 파라미터가 없습니다. 먼저 backward()를 부르세요.'],
  [/^(?:parameter .+ )?(?:must be a leaf tensor with requires_grad|appears twice in the list.*)$/, (m) => `파라미터 목록이 맞지 않습니다: ${m[0]}`],
  [/^(?:got an undefined tensor.*|use of an undefined tensor|.+ is undefined)$/, (m) => `정의되지 않은 텐서를 받았습니다: ${m[0]}`],
  [/^the tensor (.+?) was made by (.+?) and is part of a graph; .*$/, (m) => `텐서 ${m[1]}은(는) ${m[2]}이(가) 만든 그래프의 일부입니다. 잎 텐서(파라미터)를 초기화하세요.`],
  [/^the total norm of order (.+?) of the gradients is (.+)$/, (m) => `그라디언트의 ${m[1]}차 노름이 ${m[2]}입니다.`],
  // -- files: safetensors (api/safetensors.js), state dicts (api/state-dict.js), download, file and text knobs --
  [/^this is not a safetensors file: it has (\d+) bytes, fewer than the 8 that give its header's length$/,
    (m) => `safetensors 파일이 아닙니다. 파일이 ${m[1]}바이트뿐이라 헤더 길이를 적는 처음 8바이트도 없습니다.`],
  [/^this is not a safetensors file: its first 8 bytes give a header of (\d+) bytes$/,
    (m) => `safetensors 파일이 아닙니다. 처음 8바이트대로라면 헤더가 ${m[1]}바이트입니다.`],
  [/^the file is truncated: its header should take (\d+) bytes after the first 8, but the file has (\d+) bytes in all$/,
    (m) => `파일이 중간에 잘렸습니다. 처음 8바이트 뒤에 헤더가 ${m[1]}바이트 있어야 하는데, 파일 전체가 ${m[2]}바이트입니다.`],
  [/^the file is truncated: tensor '(.*)' ends at byte (\d+) of the data, which has (\d+) bytes$/,
    (m) => `파일이 중간에 잘렸습니다. 텐서 '${m[1]}'은(는) 데이터의 ${m[2]}바이트에서 끝나야 하는데, 데이터는 ${m[3]}바이트입니다.`],
  [/^the header is not valid JSON \((.*)\); is this a safetensors file\?$/s,
    (m) => `헤더가 올바른 JSON이 아닙니다(${m[1]}). safetensors 파일이 맞나요?`],
  [/^tensor '(.*)' has dtype (\S+); the lab reads (.+?) \(in PyTorch, save model\.float\(\) for float32\)$/,
    (m) => `텐서 '${m[1]}'의 dtype은 ${m[2]}입니다. 실험실은 ${m[3]}만 읽습니다(PyTorch에서 model.float()로 float32로 바꿔 저장하세요).`],
  [/^tensor '(.*)' has dtype (\S+); the lab writes (.+)$/, (m) => `텐서 '${m[1]}'의 dtype은 ${m[2]}입니다. 실험실은 ${m[3]}만 씁니다.`],
  [/^tensor '(.*)' \((\S+), shape \[(.*)\]\) needs (\d+) bytes, but its data_offsets give (\d+)$/,
    (m) => `텐서 '${m[1]}'(${m[2]}, 모양 [${m[3]}])에는 ${m[4]}바이트가 필요한데 data_offsets는 ${m[5]}바이트를 가리킵니다.`],
  [/^(?:tensor '.*' (?:has|overlaps) .*|the data has a gap .*|the file has \d+ bytes after its last tensor|the header(?:'s entry)? .*|__metadata__ .*|metadata .*|a tensor cannot be named .*|two tensors are named .*)$/s,
    (m) => `safetensors 파일의 내용이 맞지 않습니다: ${m[0]}`],
  [/^Error\(s\) in loading state_dict for (.+?):(.*)$/s, (m) => `${m[1]}에 state_dict를 불러오지 못했습니다:${m[2]
    .replace(/Unexpected key\(s\) in state_dict: (.*?)\. ?(?=\n|$)/g, '모델에 없는 키: $1')
    .replace(/Missing key\(s\) in state_dict: (.*?)\. ?(?=\n|$)/g, '파일에 빠진 키: $1')
    .replace(/size mismatch for (\S+): copying a param with shape (.+?) from checkpoint, the shape in current model is (.+?)\.(?=\n|$)/g, '$1의 모양이 다릅니다. 파일은 $2, 지금 모델은 $3')
    .replace(/While copying the parameter named "(.*?)", expected a Tensor in state_dict, got (.*?)\.(?=\n|$)/g, '파라미터 "$1"에는 텐서가 와야 하는데 $2을(를) 받았습니다')}`],
  [/^the first argument is the file's name, such as '(.*)', got (.*)$/s, (m) => `첫 인자는 '${m[1]}' 같은 파일 이름이어야 합니다. 받은 값: ${m[2]}`],
  [/^(\d+) bytes is more than a cell may hand over \((.+)\)$/, (m) => `${m[1]}바이트는 셀이 넘겨줄 수 있는 크기(${m[2]})보다 큽니다.`],
  [/^a run can hand over at most (\d+) files$/, (m) => `한 번의 실행은 파일을 ${m[1]}개까지 넘겨줄 수 있습니다.`],
  [/^options must be an object such as \{ type: (.*) \}$/, (m) => `download의 옵션은 { type: ${m[1]} } 같은 객체여야 합니다.`],
  [/^a file knob's value is null \(no file until the reader picks one\): (.*)$/s,
    (m) => `파일 노브의 값은 null입니다(독자가 파일을 고르기 전에는 파일이 없습니다): ${m[1]}`],
  [/^a text knob has no options \(a menu is (.*)\)$/s, (m) => `글상자 노브에는 options가 없습니다(메뉴는 ${m[1]}로 만듭니다).`],
  [/^a text knob holds at most (\d+) characters \(it goes into links\), got (\d+)$/,
    (m) => `글상자 노브에는 ${m[1]}자까지 담을 수 있습니다(링크에 들어가기 때문입니다). 받은 글자 수: ${m[2]}`],
  // -- plot, knob, progress -----------------------------------------------------------------
  [/^a run can draw at most (.+?) plots; .*$/, (m) => `한 번의 실행은 그래프를 ${m[1]}개까지 그릴 수 있습니다. id(또는 title)를 다시 써서 그래프를 갱신하세요.`],
  [/^this plot has (.+?) values, more than the (.+?) one plot can draw; .*$/, (m) => `이 그래프의 값은 ${m[1]}개로, 그래프 하나가 그릴 수 있는 ${m[2]}개를 넘습니다. k번째 점마다 하나씩 그리세요.`],
  [/^(?:spec\.series is required|a histogram needs values|a heatmap needs z|expected a spec object).*$/s, (m) => `그래프 spec에 필요한 필드가 없습니다: ${m[0]}`],
  [/^series "(.+?)" has (.+?) values but x has (.+)$/, (m) => `계열 "${m[1]}"의 값은 ${m[2]}개인데 x는 ${m[3]}개입니다.`],
  [/^(?:x must .*|logX needs .*|(?:heatmap row|a heatmap's) .*|(?:zRange|range|bins) must .*|with logZ, .*|kind ".*" is not supported.*|.*\[.*\] is .*, not a number)$/s,
    (m) => `그래프 spec이 맞지 않습니다: ${m[0]}`],
  [/^expected progress\(step, total\) .*$/, (m) => `progress(step, total)에는 숫자를, total에는 0보다 큰 값을 주세요: ${m[0]}`],
  [/^(?:the label must be .*|options must be an object such as .*|the value must be .*|a slider needs .*|step must be .*|options\.options must .*|'.*' is not one of its options.*|is declared twice)$/s,
    (m) => `노브 선언이 맞지 않습니다: ${m[0]}`],
  [/^this step called the layer (.+?), and backward\(\) went through calls (.+?): .*$/s,
    (m) => `이 단계에서 층을 ${m[1]} 불렀고 backward()가 ${m[2]}번째 호출을 지났습니다. 호출마다 ∂L/∂h_t가 따로 있으니 stepGrads({ call: i })로 고르세요.`],
  [/^(?:(.*); )?call backward\(\) on a loss computed from its output first$/s, (m) => `${m[1] ? `${m[1]}. ` : ''}먼저 이 층의 출력으로 계산한 손실에 backward()를 부르세요.`],
  [/^(.+?) (?:is|are) too long \(limit (.+)\)$/, (m) => `${m[1]}이(가) 너무 깁니다(한도: ${m[2]}).`],
  [/^(.+?) do(?:es)? not fit in (.+)$/, (m) => `${m[1]}이(가) ${m[2]}에 들어가지 않습니다.`],
  [/^(.+?) (?:requires|needs?) (.+)$/s, (m) => `${m[1]}에는 다음이 필요합니다: ${m[2]}`],
  [/^'(.*)' is not an? (int|number|bool|choice)$/, (m) => `'${m[1]}'은(는) ${{ int: '정수', number: '숫자', bool: '참/거짓 값', choice: '선택지' }[m[2]]} 파라미터가 아닙니다.`],
  [/^no (layer|parameter|scalar|series) (.+)$/s, (m) => `${{ layer: '층', parameter: '파라미터', scalar: '스칼라', series: '계열' }[m[1]]} ${m[2]}이(가) 없습니다.`],
  [/^need (.+)$/s, (m) => `다음이 필요합니다: ${m[1]}`],
  [/^a row of (.+?) values, expected (.+)$/, (m) => `한 행에 값이 ${m[1]}개인데 ${m[2]}개가 필요합니다.`],
  [/^got no (.+)$/s, (m) => `${m[1]}이(가) 없습니다.`],
  [/^the trace is not of this input$/, () => '이 기록(trace)은 이 입력의 것이 아닙니다.'],
  [/^(?:knob\('(.*)'\) is declared twice)$/, (m) => `노브 '${m[1]}'이(가) 두 번 선언되었습니다.`],
  [/^not a literal$/, () => '리터럴이 아닙니다(숫자, 문자열, true/false와 그 배열·객체만 읽을 수 있습니다).'],
  [/^PNG export failed$/, () => 'PNG로 내보내지 못했습니다.'],
  // -- seq2seq tasks: the reader's own pairs, vocabularies (engine/src/tasks) -----------------
  [/^line (\d+) has no separator \(a tab or ' -> ' between the source and the target\): '(.*)'$/s,
    (m) => `${m[1]}번째 줄에 구분자(원문과 번역 사이의 탭 또는 ' -> ')가 없습니다: '${m[2]}'`],
  [/^line (\d+) has an empty (source|target) \((?:before|after) the separator\)$/,
    (m) => `${m[1]}번째 줄의 ${m[2] === 'source' ? '원문(구분자 앞)' : '번역(구분자 뒤)'}이 비어 있습니다.`],
  [/^line (\d+) has a (source|target) of (\d+) characters \(at most (\d+)\)$/,
    (m) => `${m[1]}번째 줄의 ${m[2] === 'source' ? '원문' : '번역'}이 ${m[3]}자입니다(최대 ${m[4]}자).`],
  [/^line (\d+) is pair number (\d+), more than the (\d+) pairs allowed$/,
    (m) => `${m[1]}번째 줄이 ${m[2]}번째 쌍이라, 허용된 ${m[3]}쌍을 넘습니다.`],
  [/^the text has no pairs \(one per line: source, a tab or ' -> ', target\)$/,
    () => "텍스트에 쌍이 없습니다(한 줄에 하나씩: 원문, 탭 또는 ' -> ', 번역)."],
  [/^the text is not valid UTF-8 \(byte (\d+)\)$/, (m) => `텍스트가 올바른 UTF-8이 아닙니다(${m[1]}번째 바이트).`],
  [/^the (\S+) '(.*)' is not in the vocabulary$/s,
    (m) => `${{ word: '단어', character: '글자' }[m[1]] ?? m[1]} '${m[2]}'은(는) 어휘에 없습니다.`],
  [/^(.+?) must not be empty$/, (m) => `${m[1]}이(가) 비어 있으면 안 됩니다.`],
  // -- anything the engine says that names what it expected -------------------------------
  [/^(.+?) must be (.+?), got (.*)$/s, (m) => `${m[1]}은(는) 다음이어야 합니다: ${m[2]}. 받은 값: ${m[3]}`],
  [/^(.+?) must (?:be|have) (.+)$/s, (m) => `${m[1]}에 대한 조건이 맞지 않습니다: ${m[2]}`],
  [/^expected (.+?), got (.+)$/s, (m) => `기대한 것과 다른 값을 받았습니다. 기대: ${m[1]}, 받음: ${m[2]}`],
  [/^expected (.+)$/s, (m) => `다음이 필요합니다: ${m[1]}`],
  [/^(?:unknown|unsupported) (.+)$/s, (m) => `알 수 없는 값입니다: ${m[1]}`],
  [/^(?:only|pass both|has no|expects?) (.+)$/s, (m) => `이 호출에 맞지 않는 인자입니다: ${m[0]}`],
  [/^(.+?) is not implemented$/, (m) => `${m[1]}이(가) 구현되어 있지 않습니다.`],
];

// What parallel() refused to send back, with its particle: "what fn returned for item 2.curve",
// "a report.t"
function parallelWhat(text) {
  const returned = /^what fn returned for item (\d+)(.*)$/.exec(text);
  if (returned) return `항목 ${returned[1]}에서 fn이 돌려준 값${returned[2] ? `(${returned[2].slice(1)})` : ''}은`;
  const report = /^a report(.*)$/.exec(text);
  if (report) return `report로 보낸 값${report[1] ? `(${report[1].slice(1)})` : ''}은`;
  return `${text}은(는)`;
}

function intKind(text) {
  if (/a positive integer/.test(text)) return '0보다 큰';
  if (/a non-negative integer/.test(text)) return '0 이상의';
  const lo = /an integer >= (\S+)/.exec(text);
  return lo ? `${lo[1]} 이상의` : '';
}

/**
 * The message in `lang`: { text, matched }. English is the message itself. Korean keeps the
 * call names in front and the values, in a Korean sentence when a rule knows the phrasing
 * (matched), or after a Korean lead when none does.
 */
export function localizeError(message, lang) {
  const original = String(message ?? '');
  if (lang !== 'ko') return { text: original, matched: true };
  let prefix = '';
  let core = original;
  for (let m; (m = PREFIX.exec(core)); ) {
    prefix += m[1];
    core = core.slice(m[1].length);
  }
  for (const [pattern, say] of RULES) {
    const m = pattern.exec(core);
    if (m) return { text: `${prefix}${say(m).replace(/\s+$/, '')}`, matched: true };
  }
  return { text: `${prefix}엔진이나 실행기가 이 호출을 거부했습니다(아래 영어 원문 참고).`, matched: false };
}

/** The rules' patterns (the coverage test reports which rule a format meets). */
export const RULE_COUNT = RULES.length;
