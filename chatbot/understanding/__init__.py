"""Reading a person: everything that turns their words into signals grounded in the catalog (rules and their
patterns, the lexicon, the catalog vocabulary, title matching, LLM extraction as JSON, and the pickled grounding
cache). It talks to a chat model only through `chatbot.llm.base.ChatModel`, never to a backend.
"""
