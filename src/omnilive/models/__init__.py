"""The models behind each role (detector, classifier, ASR, VAD, sound events, OCR, embeddings,
LLM, TTS, GPU-profile VLM), the registry that finds them and `omnilive models`."""
