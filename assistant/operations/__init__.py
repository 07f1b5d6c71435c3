"""Operations: retrain from the operators' data, promote only what is not worse, roll back (docs/operators.md).

promotion.py (pure decisions), deploy.py (what is in service, switching without a restart),
evaluation.py (the project's own evaluations as steps), retrain.py (the commands), report.py (the
HTML report, drawn in the Rasa env). Nothing here is imported by the services themselves.
"""
