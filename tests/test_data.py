"load_dialogues on local files in samsum's schema, and bad input: each a clear error that names the fix."
import json, pytest
import pandas as pd
from lora_course.data import load_dialogues, tokenize_pair

ROWS = [dict(id=str(i), dialogue=f"Ann: lunch at {i} pm?\nBo: sure", summary=f"Ann and Bo will have lunch at {i} pm.") for i in range(1, 6)]

@pytest.mark.parametrize("ext", ["json", "jsonl", "csv", "parquet"])
def test_local_file_formats(tmp_path, ext):
    f = tmp_path / f"chats.{ext}"
    df = pd.DataFrame(ROWS)
    if ext == "json": f.write_text(json.dumps(ROWS))
    elif ext == "jsonl": df.to_json(f, orient="records", lines=True)
    elif ext == "csv": df.to_csv(f, index=False)
    else: df.to_parquet(f)
    ds = load_dialogues(str(f), split="train")
    assert ds.column_names == ["id", "dialogue", "summary"] and len(ds) == 5
    assert ds[0]["summary"] == ROWS[0]["summary"]

def test_folder_of_splits_and_samsum_line_endings(tmp_path):
    for split in ("train", "test"):
        rows = [dict(r, dialogue=r["dialogue"].replace("\n", "\r\n"), extra=1) for r in ROWS]
        (tmp_path / f"{split}.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    dd = load_dialogues(str(tmp_path))
    assert set(dd) == {"train", "test"} and dd["test"].column_names == ["id", "dialogue", "summary"]
    assert "\r" not in dd["train"][0]["dialogue"]

def test_missing_columns_say_how_to_fix(tmp_path):
    f = tmp_path / "bad.jsonl"; f.write_text(json.dumps(dict(chat="a: hi", summary="hello")))
    with pytest.raises(ValueError, match=r"no column \['dialogue'\].*rename"): load_dialogues(str(f))

def test_empty_split(tmp_path):
    (tmp_path / "train.jsonl").write_text("\n".join(json.dumps(r) for r in ROWS))
    (tmp_path / "test.csv").write_text("id,dialogue,summary\n")
    with pytest.raises(ValueError, match="mixes file types"): load_dialogues(str(tmp_path))
    (tmp_path / "test.csv").unlink(); (tmp_path / "test.jsonl").write_text("")
    with pytest.raises(ValueError, match="empty"): load_dialogues(str(tmp_path))

def test_missing_path_and_unknown_split(tmp_path):
    with pytest.raises(FileNotFoundError): load_dialogues(str(tmp_path / "nope.jsonl"))
    with pytest.raises(KeyError, match="validation"): load_dialogues("micro", split="dev")

def test_hub_offline_names_the_fix():
    with pytest.raises(ConnectionError, match="not in the local cache.*HF_HUB_OFFLINE=1.*micro"): load_dialogues("nobody/no-such-dataset-xyz")

def test_load_source_tells_failures_apart(monkeypatch):
    "Only a failure to reach the hub is reported as one: a missing dataset and a broken one say what they are."
    import datasets
    from datasets.exceptions import DatasetNotFoundError
    from lora_course.data import load_source
    def fails(e):
        def load(*a, **k): raise e
        return load
    monkeypatch.setattr(datasets, "load_dataset", fails(DatasetNotFoundError("nobody/x doesn't exist on the Hub")))
    with pytest.raises(FileNotFoundError, match="no dataset 'nobody/x' on the hub"): load_source("nobody/x")
    monkeypatch.setattr(datasets, "load_dataset", fails(ValueError("column mismatch in shard 3")))
    with pytest.raises(ValueError, match="column mismatch"): load_source("nobody/x")

def test_micro_splits_are_deterministic():
    a, b = load_dialogues("micro", "test"), load_dialogues("micro", "test")
    assert a["summary"] == b["summary"] and len(a) == 200

def test_causal_labels_mask_the_prompt(tiny_llama):
    from transformers import AutoTokenizer
    tok = AutoTokenizer.from_pretrained(tiny_llama)
    x = tokenize_pair(tok, ROWS[0]["dialogue"], ROWS[0]["summary"], "causal")
    n_prompt = x["labels"].index(next(l for l in x["labels"] if l != -100))
    assert all(l == -100 for l in x["labels"][:n_prompt]) and x["labels"][n_prompt:] == x["input_ids"][n_prompt:]
    assert x["labels"][-1] == tok.eos_token_id
