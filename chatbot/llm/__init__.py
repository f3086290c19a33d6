"""Chat models: the `ChatModel` interface every backend implements (`base`), a scripted fake for tests (`fake`),
the backends (llama.cpp and its library loader, onnx, transformers, any OpenAI-compatible server), model-file
resolution, and the factory that builds the one named in Settings. Importing the interface imports no backend:
a backend's heavy libraries load only when the factory picks it. Nothing here knows about catalogs or people.
"""
