"""Saying it: the reasons given for each item, the reply writer (prompt, template fallback, item lines) and the
output guard that drops model sentences which name unchosen titles, repeat instructions or make no sense.
"""
