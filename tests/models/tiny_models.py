"""Tiny random models of the GPU profile's architectures, built on the fly (no hub): a config with
small dimensions, a tokenizer trained here with `tokenizers`, the processor built from its config.
They run through the exact loading and inference code of the real wrappers on CPU."""
from __future__ import annotations

from pathlib import Path

CORPUS = ['a photo of a person walking', 'two people and a car', 'a sign reads exit',
          'a red cup on a table', 'the robot saw a dog', 'describe the image', 'what do you see',
          'user assistant system image video'] * 20


def train_tokenizer(special: list[str], vocab_size: int = 300):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast
    tok = Tokenizer(models.BPE(unk_token='<unk>'))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=['<unk>'] + special,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(CORPUS, trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, unk_token='<unk>')


def build_tiny_clip(out: Path) -> Path:
    from transformers import (CLIPConfig, CLIPImageProcessor, CLIPModel, CLIPProcessor)
    tokenizer = train_tokenizer(['<|startoftext|>', '<|endoftext|>'])
    tokenizer.add_special_tokens({'bos_token': '<|startoftext|>', 'eos_token': '<|endoftext|>',
                                  'pad_token': '<|endoftext|>'})
    tokenizer.model_max_length = 16
    config = CLIPConfig(
        text_config=dict(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64,
                         num_hidden_layers=2, num_attention_heads=2, max_position_embeddings=16,
                         eos_token_id=tokenizer.eos_token_id, bos_token_id=tokenizer.bos_token_id,
                         pad_token_id=tokenizer.pad_token_id),
        vision_config=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                           num_attention_heads=2, image_size=32, patch_size=8),
        projection_dim=16)
    model = CLIPModel(config).eval()
    processor = CLIPProcessor(image_processor=CLIPImageProcessor(
        size={'shortest_edge': 32}, crop_size={'height': 32, 'width': 32}), tokenizer=tokenizer)
    model.save_pretrained(out)
    processor.save_pretrained(out)
    return out



# SmolVLM's chat template (Idefics3 architecture).
SMOLVLM_CHAT_TEMPLATE = (
    "<|im_start|>{% for message in messages %}{{ message['role'] | capitalize }}"
    "{% if message['content'][0]['type'] == 'image' %}{{ ':' }}{% else %}{{ ': ' }}{% endif %}"
    "{% for line in message['content'] %}{% if line['type'] == 'text' %}{{ line['text'] }}"
    "{% elif line['type'] == 'image' %}{{ '<image>' }}{% endif %}{% endfor %}"
    "<end_of_utterance>\n{% endfor %}{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}")


def build_tiny_smolvlm(out: Path) -> Path:
    """SmolVLM's architecture (Idefics3: SigLIP vision tower, pixel-shuffle connector, Llama text
    model). Qwen2-VL's processor needs torchvision for its video processor, which cannot be
    installed beside this machine's CPU torch; its loading path is the same Auto classes."""
    from transformers import (Idefics3Config, Idefics3ForConditionalGeneration,
                              Idefics3ImageProcessor, Idefics3Processor)
    special = ['<|im_start|>', '<end_of_utterance>', '<image>', '<fake_token_around_image>',
               '<global-img>', '<|endoftext|>']
    tokenizer = train_tokenizer(special)
    tokenizer.add_special_tokens({'eos_token': '<end_of_utterance>', 'pad_token': '<|endoftext|>',
                                  'bos_token': '<|im_start|>'})
    ids = {t: tokenizer.convert_tokens_to_ids(t) for t in special}
    config = Idefics3Config(
        vision_config=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                           num_attention_heads=2, image_size=32, patch_size=8),
        text_config=dict(model_type='llama', vocab_size=len(tokenizer), hidden_size=32,
                         intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
                         num_key_value_heads=1, max_position_embeddings=512,
                         eos_token_id=ids['<end_of_utterance>'],
                         pad_token_id=ids['<|endoftext|>']),
        scale_factor=2, image_token_id=ids['<image>'], pad_token_id=ids['<|endoftext|>'])
    model = Idefics3ForConditionalGeneration(config).eval()
    model.generation_config.eos_token_id = ids['<end_of_utterance>']
    model.generation_config.pad_token_id = ids['<|endoftext|>']
    image_processor = Idefics3ImageProcessor(do_image_splitting=False,
                                             size={'longest_edge': 32},
                                             max_image_size={'longest_edge': 32})
    processor = Idefics3Processor(image_processor=image_processor, tokenizer=tokenizer,
                                  image_seq_len=4, chat_template=SMOLVLM_CHAT_TEMPLATE)
    model.save_pretrained(out)
    processor.save_pretrained(out)
    return out
