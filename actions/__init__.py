"""Thin Rasa SDK actions: read the tracker, call assistant/, write the reply.

One concern per module; rasa_sdk registers every Action subclass found in this package.
"""
