"""Measuring: recorded dialogues replayed through the engine as a live chat would send them, the train/test split
by dialogue, the metrics, and the reports (`python -m chatbot eval`).
"""
