/**
 * The copy-paste Python that sends a served model's traffic to Cairn: it wraps a pyfunc model's
 * `predict` so that every call posts its inputs and predictions as inference records, and shows how
 * to post the ground-truth labels later by record id. Shown by empty states, the OpenAPI description
 * and the README, so they all say the same.
 */
export function telemetrySnippet(o: { origin: string; slug: string; model: string; alias: string }): string {
  const base = `${o.origin.replace(/\/+$/, "")}/p/${o.slug}/api/monitoring/v1`;
  return `import os
import time
import uuid

import mlflow.pyfunc
import pandas as pd
import requests

CAIRN = ${pyString(base)}
HEADERS = {"Authorization": f"Bearer {os.environ['CAIRN_TOKEN']}"}  # a project token that may write
MODEL, ALIAS = ${pyString(o.model)}, ${pyString(o.alias)}

model = mlflow.pyfunc.load_model(f"models:/{MODEL}@{ALIAS}")


def predict(inputs: pd.DataFrame, ids: list | None = None) -> list:
    """Predicts as the model does, then posts each row and its prediction to Cairn.

    Pass your own ids (say, request ids) to post labels for them later; a retried id counts once.
    """
    predictions = list(model.predict(inputs))
    ids = ids or [str(uuid.uuid4()) for _ in predictions]
    now = int(time.time() * 1000)  # epoch ms; ISO 8601 strings work too
    records = [
        {
            "id": i,
            "timestamp": now,
            "features": {k: (None if pd.isna(v) else v.item() if hasattr(v, "item") else v) for k, v in row.items()},
            "prediction": p.item() if hasattr(p, "item") else p,
        }
        for i, (_, row), p in zip(ids, inputs.iterrows(), predictions)
    ]
    for start in range(0, len(records), 10_000):  # at most 10,000 records a batch
        response = requests.post(
            f"{CAIRN}/records",
            json={"model": MODEL, "alias": ALIAS, "records": records[start : start + 10_000]},
            headers=HEADERS,
            timeout=10,
        )
        response.raise_for_status()  # the body says {"accepted": n, "duplicates": m}
    return predictions


def post_labels(labels: dict) -> None:
    """Later, when the ground truth is known: {record id: label}. A different label for a labelled id is refused (409)."""
    response = requests.post(
        f"{CAIRN}/labels",
        json={"model": MODEL, "labels": [{"id": i, "label": y} for i, y in labels.items()]},
        headers=HEADERS,
        timeout=10,
    )
    response.raise_for_status()
`;
}

/** A Python string literal (JSON's escapes are valid Python). */
function pyString(value: string): string {
  return JSON.stringify(value);
}
