"""Guarded input channels of the Rasa server (referenced from credentials.yml).

``rest.GuardedRestInput`` and ``socketio.GuardedSocketIOInput`` are Rasa's REST and socket.io
channels with the checks of :mod:`assistant.channels.guard` in front of the NLU: bounded bodies,
length, control characters, empty messages, a per-sender rate limit, the socket.io origins, and
an apology when a turn produced no bot message at all. Like the ``*/component.py`` modules,
``rest.py`` and ``socketio.py`` import ``rasa`` and run only in the Rasa env; ``guard.py`` does
not, so it is tested without a server.
"""
