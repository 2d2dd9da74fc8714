// Every word the lab's own interface says, in Korean (the default) and
// English. Chapters carry their own text (tutorials/<lang>/).

export const LANGS = ['ko', 'en'];
export const DEFAULT_LANG = 'ko';
export const LANG_NAMES = { ko: '한국어', en: 'English' };

// One duration formatter; each language words its units. Below a second the English says
// "482 ms"; Korean says seconds ("0.48초"), the unit a Korean status line uses.
function durationIn(unit) {
  return (ms) => {
    if (ms < 1000) return unit.ms(Math.max(1, Math.round(ms)));
    if (ms < 60_000) return unit.s((ms / 1000).toFixed(ms < 10_000 ? 2 : 1));
    const s = Math.round(ms / 1000);
    return unit.min(Math.floor(s / 60), s % 60);
  };
}

const en = {
  tagline: 'See why gradients vanish and explode in recurrent networks.',
  skip: 'Skip to the content',
  chapters: 'Chapters',
  contents: 'On this page',
  reference: 'Lab reference',
  language: 'Language',
  home: 'All chapters',
  notFound: (name) => `There is no chapter "${name}".`,
  missingInLang: 'This chapter is not translated yet; it is shown in another language.',
  badLink: (refused) => `This link's experiment could not be opened: ${refused.code === 'too-long' || refused.knobs === 'too-long'
    ? 'it is longer than a link to one experiment can be'
    : 'the link is damaged or cut short'}. The chapter's own experiment is shown instead.`,
  footer: 'gradlab runs entirely in this page: nothing you type leaves your computer.',
  engine: (name) => `engine: ${name}`,
  offlineReady: 'works offline',
  openInLab: 'Open in gradlab',
  // A cell
  run: 'Run',
  stop: 'Stop',
  share: 'Share',
  shareLabel: 'Copy a link to this experiment as it is now',
  embed: 'Embed',
  embedLabel: 'Copy HTML that embeds this experiment in another page',
  reset: 'Reset',
  resetLabel: 'Reset the code, knobs and seed to the original',
  copied: 'Copied to the clipboard.',
  copyHint: 'Copy this link:',
  close: 'Close',
  console: 'Console',
  plots: 'Plots',
  chart: { count: 'count', binStart: 'bin start', value: 'value' },
  knobs: 'Knobs',
  seed: 'seed',
  newSeed: 'A new random seed',
  codeLabel: (title) => `Code of the experiment "${title}"`,
  emptyConsole: 'Nothing printed yet. print(...) writes here.',
  emptyPlots: 'No plots yet. plot({ title, x, series }) draws here.',
  loading: 'Loading the engine…',
  ready: (key) => `Ready. Press Run or ${key}.`,
  starting: 'Starting the engine…',
  running: 'Running…',
  done: (took) => `Done in ${took}.`,
  stopped: (took) => `Stopped after ${took}.`,
  skippedLines: (n) => `… ${n} earlier line${n === 1 ? '' : 's'} skipped`,
  sandboxHint: {
    storage: "Experiments run in a sandbox, apart from the page and the site's storage and caches.",
    site: 'Experiments run in a sandbox, apart from the site and its service worker.',
    network: 'Experiments run without a network: the sandbox refuses every request.',
  },
  moreChars: (n) => ` … (${n} more characters not shown)`,
  consoleTrimmed: (lines, chars) => `Only the last ${lines} lines (${chars / 1000}k characters) are kept.`,
  failed: (name, line) => `${name}${line != null ? ` on line ${line}` : ''}. See the console.`,
  engineFailed: (detail) => `The engine could not be loaded: ${detail}`,
  edited: 'edited',
  restored: 'Your edits from last time are back. Reset brings the original.',
  fromLink: 'Opened from a shared link.',
  knobProblem: (line, message) => `line ${line}: ${message}`,
  // Progress and plots
  progress: 'Training progress',
  step: (step, total) => `step ${step} / ${total}`,
  left: (time) => `${time} left`,
  png: 'PNG',
  csv: 'CSV',
  // A button's name starts with the word it shows.
  pngLabel: (title) => `PNG: download "${title}" as an image`,
  csvLabel: (title) => `CSV: download the data of "${title}"`,
  // A chart's text alternative (lab/plot-view.js describePlot).
  plotAlt: {
    line: (title) => `Line chart${title ? ` "${title}"` : ''}.`,
    histogram: (title, bins, lo, hi) => `Histogram${title ? ` "${title}"` : ''}, ${bins} bins from ${lo} to ${hi}.`,
    heatmap: (title, rows, cols) => `Heatmap${title ? ` "${title}"` : ''}, ${rows} rows by ${cols} columns.`,
    x: (label, lo, hi) => `${label || 'x'}: from ${lo} to ${hi}.`,
    values: (label, lo, hi) => `${label || 'Values'} from ${lo} to ${hi}.`,
    series: (name, n, first, last, lo, hi) => `${name}: ${n} point${n === 1 ? '' : 's'}, from ${first} to ${last}, lowest ${lo}, highest ${hi}.`,
    bins: (name, n, lo, hi, count) => `${name}: ${n} value${n === 1 ? '' : 's'}, most between ${lo} and ${hi} (${count}).`,
    nothing: (name) => `${name}: nothing to draw.`,
  },
  notDrawn: (n, log) => `${n} value${n === 1 ? '' : 's'} not drawn (${log ? 'zero, negative, ' : ''}infinite or NaN).`,
  // Durations, errors in the page's language, the API reference (issue 11: 8, 11, 12)
  duration: durationIn({ ms: (n) => `${n} ms`, s: (x) => `${x} s`, min: (m, s) => `${m} min ${s} s` }),
  errorWords: {
    at: (line, column) => (column != null ? `line ${line}, col ${column}` : `line ${line}`),
    calledFrom: (fn, line) => `called from ${fn ? `${fn} ` : ''}(line ${line})`,
  },
  goToLine: (line) => `Show line ${line} in the editor`,
  pythonHint: 'Every gl name beside its PyTorch counterpart:',
  apiReference: 'the gl API reference',
  // Python cells (issue 12)
  codeLanguage: 'Language of the code',
  languageNames: { js: 'JavaScript', python: 'PyTorch' },
  languageTitle: { js: 'The experiment written with gl, the lab\'s JavaScript API', python: 'The experiment written in Python with PyTorch\'s names (torch)' },
  pythonDownload: (loaded, total) => `Downloading Python (first time only): ${loaded} of ${total} MB…`,
  pythonStarting: 'Starting Python…',
  runAsPython: 'Run it as Python (PyTorch)',
  // The Embed dialog, and the embed page's options
  embedTitle: 'Embed this experiment in another page',
  embedCode: 'The code',
  embedCodeShown: 'shown',
  embedCodeFolded: 'folded: a button shows it',
  embedCodeHidden: 'hidden: knobs, Run and plots only',
  embedRunOnLoad: 'Run it as soon as the page opens',
  embedNote: 'The knob values and the seed set now go with it, as the experiment\'s starting point: a reader who changes them gets them back with Reset.',
  embedIframe: 'An iframe',
  embedIframeHint: 'Works in any page. The script after it fits the frame to the experiment; without the script the frame keeps the height written in it.',
  embedElement: 'The <gradlab-experiment> element',
  embedElementHint: 'The script draws the experiment in the element and fits its height; where the script cannot be loaded, the element says so and links to the experiment.',
  copy: 'Copy',
  copyByHand: 'Selected: copy it with Ctrl+C.',
  showCode: 'Show the code',
  hideCode: 'Hide the code',
};

const ko = {
  tagline: '순환 신경망에서 그라디언트가 왜 사라지고 폭발하는지 직접 확인하세요.',
  skip: '본문으로 건너뛰기',
  chapters: '장 목록',
  contents: '이 페이지의 차례',
  reference: '실험실 사용법',
  language: '언어',
  home: '모든 장',
  notFound: (name) => `"${name}"라는 장은 없습니다.`,
  missingInLang: '이 장은 아직 번역되지 않아 다른 언어로 보여 줍니다.',
  badLink: (refused) => `이 링크에 담긴 실험을 열 수 없습니다. ${refused.code === 'too-long' || refused.knobs === 'too-long'
    ? '실험 하나를 담기에는 링크가 너무 깁니다'
    : '링크가 손상되었거나 중간에 잘렸습니다'}. 대신 이 장의 원래 실험을 보여 드립니다.`,
  footer: 'gradlab은 전부 이 페이지 안에서 실행됩니다. 입력한 내용은 컴퓨터 밖으로 나가지 않습니다.',
  engine: (name) => `엔진: ${name}`,
  offlineReady: '오프라인 사용 가능',
  openInLab: 'gradlab에서 열기',
  run: '실행',
  stop: '중지',
  share: '공유',
  shareLabel: '지금 상태 그대로의 실험 링크 복사',
  embed: '임베드',
  embedLabel: '이 실험을 다른 페이지에 넣는 HTML 복사',
  reset: '되돌리기',
  resetLabel: '코드, 노브, 시드를 원래대로 되돌리기',
  copied: '클립보드에 복사했습니다.',
  copyHint: '이 링크를 복사하세요:',
  close: '닫기',
  console: '콘솔',
  plots: '그래프',
  chart: { count: '개수', binStart: '구간 시작', value: '값' },
  knobs: '노브',
  seed: '시드',
  newSeed: '새 무작위 시드',
  codeLabel: (title) => `실험 "${title}"의 코드`,
  emptyConsole: '아직 출력이 없습니다. print(...)가 여기에 씁니다.',
  emptyPlots: '아직 그래프가 없습니다. plot({ title, x, series })가 여기에 그립니다.',
  loading: '엔진을 불러오는 중…',
  ready: (key) => `준비됨. 실행 버튼이나 ${key}를 누르세요.`,
  starting: '엔진을 시작하는 중…',
  running: '실행 중…',
  done: (took) => `${took} 만에 완료.`,
  stopped: (took) => `${took} 후 중지됨.`,
  skippedLines: (n) => `… 앞의 ${n}줄은 건너뛰었습니다`,
  sandboxHint: {
    storage: '실험 코드는 페이지와 사이트의 저장소·캐시에서 떨어진 샌드박스에서 실행됩니다.',
    site: '실험 코드는 사이트와 서비스 워커에서 떨어진 샌드박스에서 실행됩니다.',
    network: '실험 코드는 네트워크 없이 실행됩니다. 샌드박스가 모든 요청을 막습니다.',
  },
  moreChars: (n) => ` … (나머지 ${n}자는 생략)`,
  consoleTrimmed: (lines, chars) => `마지막 ${lines}줄(${chars / 1000}k자)까지만 남깁니다.`,
  failed: (name, line) => `${name}${line != null ? ` (${line}번째 줄)` : ''}. 콘솔을 보세요.`,
  engineFailed: (detail) => `엔진을 불러오지 못했습니다: ${detail}`,
  edited: '수정됨',
  restored: '지난번에 고친 내용을 되살렸습니다. 되돌리기를 누르면 원래 코드로 돌아갑니다.',
  fromLink: '공유 링크로 열었습니다.',
  knobProblem: (line, message) => `${line}번째 줄: ${message}`,
  progress: '학습 진행',
  step: (step, total) => `${step} / ${total} 단계`,
  left: (time) => `${time} 남음`,
  png: 'PNG',
  csv: 'CSV',
  pngLabel: (title) => `PNG: "${title}" 그래프를 이미지로 내려받기`,
  csvLabel: (title) => `CSV: "${title}"의 데이터 내려받기`,
  plotAlt: {
    line: (title) => `선 그래프${title ? ` "${title}"` : ''}.`,
    histogram: (title, bins, lo, hi) => `히스토그램${title ? ` "${title}"` : ''}, ${lo}부터 ${hi}까지 구간 ${bins}개.`,
    heatmap: (title, rows, cols) => `히트맵${title ? ` "${title}"` : ''}, ${rows}행 ${cols}열.`,
    x: (label, lo, hi) => `${label || 'x'}: ${lo}부터 ${hi}까지.`,
    values: (label, lo, hi) => `${label || '값'}: ${lo}부터 ${hi}까지.`,
    series: (name, n, first, last, lo, hi) => `${name}: 점 ${n}개, ${first}에서 시작해 ${last}에서 끝남, 최저 ${lo}, 최고 ${hi}.`,
    bins: (name, n, lo, hi, count) => `${name}: 값 ${n}개, ${lo}~${hi} 구간에 가장 많음(${count}개).`,
    nothing: (name) => `${name}: 그릴 값 없음.`,
  },
  notDrawn: (n, log) => `값 ${n}개는 그리지 않았습니다 (${log ? '0 이하, ' : ''}무한대 또는 NaN).`,
  // Durations, errors in the page's language, the API reference (issue 11: 8, 11, 12)
  duration: durationIn({ ms: (n) => `${+(n / 1000).toPrecision(2)}초`, s: (x) => `${x}초`, min: (m, s) => (s ? `${m}분 ${s}초` : `${m}분`) }),
  errorWords: {
    at: (line, column) => (column != null ? `${line}번째 줄, ${column}열` : `${line}번째 줄`),
    calledFrom: (fn, line) => `호출한 곳: ${fn ? `${fn} ` : ''}(${line}번째 줄)`,
  },
  goToLine: (line) => `편집기에서 ${line}번째 줄 보기`,
  pythonHint: 'gl의 모든 이름을 PyTorch 이름과 나란히 적은 표:',
  apiReference: 'gl API 참조',
  // Python 셀 (issue 12)
  codeLanguage: '코드 언어',
  languageNames: { js: 'JavaScript', python: 'PyTorch' },
  languageTitle: { js: '실험실의 JavaScript API인 gl로 쓴 실험', python: 'PyTorch의 이름(torch)으로 쓴 Python 실험' },
  pythonDownload: (loaded, total) => `Python 내려받는 중(처음 한 번만): ${total} MB 중 ${loaded} MB…`,
  pythonStarting: 'Python을 시작하는 중…',
  runAsPython: 'Python(PyTorch)으로 실행',
  // 임베드 대화 상자와 임베드 페이지의 선택 사항
  embedTitle: '이 실험을 다른 페이지에 넣기',
  embedCode: '코드',
  embedCodeShown: '보이기',
  embedCodeFolded: '접어 두기: 버튼을 누르면 보입니다',
  embedCodeHidden: '숨기기: 노브, 실행 버튼, 그래프만 보입니다',
  embedRunOnLoad: '페이지가 열리면 바로 실행',
  embedNote: '지금 정한 노브 값과 시드가 실험의 출발점으로 함께 들어갑니다. 읽는 사람이 값을 바꿔도 되돌리기를 누르면 이 값으로 돌아옵니다.',
  embedIframe: 'iframe',
  embedIframeHint: '어느 페이지에나 붙여 넣을 수 있습니다. 뒤에 붙은 스크립트가 틀의 높이를 실험에 맞추고, 스크립트가 없으면 적어 둔 높이로 보입니다.',
  embedElement: '<gradlab-experiment> 요소',
  embedElementHint: '스크립트가 요소 안에 실험을 띄우고 높이를 맞춥니다. 스크립트를 불러오지 못하면 그 자리에 무엇이 잘못됐는지와 실험 링크가 보입니다.',
  copy: '복사',
  copyByHand: '선택해 두었습니다. Ctrl+C로 복사하세요.',
  showCode: '코드 보기',
  hideCode: '코드 접기',
};

const TABLE = { ko, en };

/** The interface strings of a language (the default for an unknown one). */
export function uiStrings(lang) {
  return TABLE[lang] ?? TABLE[DEFAULT_LANG];
}
