"""The web app (Sanic, port WEB_PORT): the patient chat widget and the call-centre agent console.

    /             patient widget: talks to Rasa's socket.io channel directly (session persistence,
                  language selector sent as customData), privacy notice, no CDN
    /agent        agent console behind a login: live conversations, transcript, language, intent,
                  slots, the sources the patient's last knowledge answer cited, insurer and facility
                  lookups, a suggested reply in the agent's language with its source, knowledge
                  search (through the action server: knowledge_client.py), an offline map
    /health       liveness for the supervisor (assistant.services)

Started by `make run` through assistant.services (``python -m assistant.web``). The Rasa API
token stays on the server; pages get a strict content security policy (security.py).
"""
