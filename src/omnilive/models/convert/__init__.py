"""Model converters. They run in a throwaway venv with TensorFlow (created by
`omnilive models install` under the model cache), never in the runtime venv: each is a standalone
script taking input and output paths, and imports nothing from omnilive."""
