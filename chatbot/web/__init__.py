"""Serving people: the HTTP API and its schemas, the ASGI guards, admission and rate limits, engine readiness,
and the Gradio chat page with its late mounting. It calls the engine; nothing below it imports anything here.
"""
