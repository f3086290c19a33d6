"""Conversation side of the recommender: config, models, signals, profile, sessions, engine, surfaces."""
