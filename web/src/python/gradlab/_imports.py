"""Imports a PyTorch reader tries that the lab cannot serve, answered with what to do instead.

install() puts a finder first on sys.meta_path: `import numpy` (and pandas, matplotlib, ...)
and `from transformers import ...` raise ModuleNotFoundError with an explanation in the page's
language (_gradlab_js.lang: 'ko' or 'en').
"""
import sys

import _gradlab_js

_MESSAGES = {
    'numpy': {
        'en': ("The lab has no NumPy: it runs PyTorch code on gradlab's own engine. Use torch tensors instead "
               "(torch.tensor, torch.zeros, x.sum(), x @ y, ...); x.tolist() gives plain Python numbers, and "
               "x.item() one number."),
        'ko': ("이 실험실에는 NumPy가 없습니다. PyTorch 코드는 gradlab 자체 엔진에서 실행됩니다. 대신 torch 텐서를 "
               "쓰세요(torch.tensor, torch.zeros, x.sum(), x @ y 등). x.tolist()는 파이썬 숫자 리스트를, "
               "x.item()은 숫자 하나를 돌려줍니다."),
    },
    'transformers': {
        'en': ("The transformers library is not available: a pretrained model such as t5-small would have to be "
               "downloaded, and this lab runs offline in your browser. Build a small model yourself from "
               "nn.Embedding, nn.MultiheadAttention, nn.LayerNorm and nn.Linear and train it here: the chapter "
               "\"Context prediction\" (#chapter=context-prediction) trains a small Korean language model "
               "in a few seconds."),
        'ko': ("transformers 라이브러리는 쓸 수 없습니다. t5-small 같은 사전 학습 모델은 내려받아야 하는데, 이 실험실은 "
               "브라우저 안에서 오프라인으로 실행됩니다. nn.Embedding, nn.MultiheadAttention, nn.LayerNorm, "
               "nn.Linear로 작은 모델을 직접 만들어 여기서 학습해 보세요. ‘문맥 예측’ 장(#chapter=context-prediction)에서 "
               "작은 한국어 언어 모델을 몇 초 만에 학습합니다."),
    },
    'plotting': {
        'en': "The lab has no {name}: draw with the cell's plot({{...}}) (dicts, lists and tensors).",
        'ko': "이 실험실에서는 {name} 패키지를 쓸 수 없습니다. 그래프는 셀의 plot({{...}})으로 그리세요(딕셔너리, 리스트, 텐서를 받습니다).",
    },
    'other': {
        'en': "The lab has no {name}: its Python runs PyTorch code (torch, torch.nn, torch.optim, torch.utils.data) and gradlab.",
        'ko': "이 실험실에서는 {name} 패키지를 쓸 수 없습니다. 실험실의 파이썬에서는 PyTorch 코드(torch, torch.nn, torch.optim, torch.utils.data)와 gradlab 모듈을 쓸 수 있습니다.",
    },
}

_KINDS = {
    'numpy': 'numpy', 'scipy': 'other', 'pandas': 'other',
    'transformers': 'transformers', 'huggingface_hub': 'transformers', 'datasets': 'transformers',
    'tokenizers': 'transformers', 'sentencepiece': 'transformers',
    'matplotlib': 'plotting', 'seaborn': 'plotting', 'plotly': 'plotting',
    'sklearn': 'other', 'tensorflow': 'other', 'keras': 'other', 'jax': 'other',
    'torchvision': 'other', 'torchtext': 'other', 'torchaudio': 'other',
}


def message(name, lang=None):
    """The explanation for importing `name` (its top-level package), or None if the lab does not refuse it."""
    top = name.split('.')[0]
    kind = _KINDS.get(top)
    if kind is None:
        return None
    lang = lang or str(getattr(_gradlab_js, 'lang', 'en'))
    texts = _MESSAGES[kind]
    return texts.get(lang, texts['en']).format(name=top)


class _Refuser:
    """A meta-path finder that refuses the packages in _KINDS with their explanation."""

    def find_spec(self, fullname, path=None, target=None):
        text = message(fullname)
        if text is not None:
            raise ModuleNotFoundError(text, name=fullname)
        return None

    def find_module(self, fullname, path=None):  # older import protocol
        return None


_finder = _Refuser()


def install():
    """Puts the finder first on sys.meta_path (once) and forgets modules it refuses, if imported before."""
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
    for name in list(sys.modules):
        if name.split('.')[0] in _KINDS:
            del sys.modules[name]
