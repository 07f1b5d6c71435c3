"""Rasa NLU components that run inside the Rasa server (Python 3.10 env): keep imports light."""
