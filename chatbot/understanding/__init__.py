"""Reading a person: everything that turns their words into signals grounded in the catalog (rules and their
patterns, the lexicon, the catalog vocabulary, title matching, LLM extraction as JSON, the pickled grounding
cache, and which of the words the search reads). It talks to a chat model only through
`chatbot.llm.base.ChatModel`, never to a backend.
"""
