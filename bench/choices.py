"""Benchmark: the fine-tuning choices of notebook 11, measured on the micro-world.

Six parts, each a sweep the notebook plots (and runs a small slice of live):
- prompting: 0, 1 and 3 examples in the prompt (in-context learning) on the micro base models, for summaries and for a
  question in the format of their pre-training, against a model fine-tuned (LoRA) on the summaries; prompt tokens per request.
- data: ROUGE-L and facts recall against the number of training chats (30 ... 3,000), full fine-tuning and LoRA, the same
  number of steps for every size.
- replay: a share (0, 10, 25, 50%) of the pre-training mixture replayed during fine-tuning: the forgetting probe's rise
  and ROUGE-L, full fine-tuning and LoRA, two seeds.
- features: a linear probe on frozen micro-t5 features against fine-tuning (full, LoRA) for two labels.
- domain: continued pre-training on the town's v2 documents (with and without paraphrases): does the model prefer the new
  value of each changed fact masked in its document, and does it answer closed-book questions about places whose facts
  it only read?
  Two seeds.
- teacher: students (LoRA) fine-tuned on 100 gold summaries, or on a teacher's summaries of 100 and 1,000 unlabelled
  chats, and on 1,000 gold; the teacher is micro-t5 fully fine-tuned on all 3,000 gold summaries.
Each part runs with the seeds given (the stored results: replay and domain with seeds 0 and 1, the others with seed 0).
Writes lora_course/results/choices.json (notebook 11 reads it, so it ships with the package); each part keeps the machine
and commit it was measured on, so parts can be rerun one at a time.
Usage: python bench/choices.py [--parts prompting data replay features domain teacher] [--seeds 0 1] [--quick]
(All six take about 50 min on 2 cores.)
"""
import argparse, json, sys, time
from pathlib import Path
from common import stamp, write_result
OUT = Path(__file__).parents[1] / "lora_course" / "results"

STEPS, N_EVAL = 150, 200
SIZES, SHARES = [30, 100, 300, 1000, 3000], [0, 0.1, 0.25, 0.5]

def _evaluate(model, tok, test, n_eval):
    from lora_course.metrics import evaluate_model
    s = evaluate_model(model, tok, test.select(range(n_eval)), progress=False)[0]
    return {"ROUGE-L": s["rougeL"], "facts recall": s["facts_recall"]}

def prompting(seeds, steps, n_eval, ds):
    from lora_course.town import dialogue_records
    from lora_course.models import load_model
    from lora_course.metrics import score_summaries
    from lora_course.metrics import exact_match
    from lora_course.choices import summary_task, question_task, in_context, fine_tune
    recs, pool = dialogue_records(n_eval, "test"), dialogue_records(300, "train")
    tasks = {"summary": (summary_task(recs), summary_task(pool)), "question": (question_task(recs), question_task(pool))}
    def score(task, answers, tests):
        golds = [g for _, g in tests]
        return score_summaries(answers, golds)["rougeL"] if task == "summary" else sum(map(exact_match, answers, golds)) / len(golds)
    rows = []
    for name in ("micro-llama", "micro-t5"):
        model, tok = load_model(name)
        for task, (tests, shots_from) in tasks.items():
            for k in (0, 1, 3):
                res = in_context(model, tok, tests, shots_from, shots=k, seed=seeds[0], max_new_tokens=48 if task == "summary" else 8)
                rows.append(dict(model=name, task=task, shots=k, score=score(task, res["answers"], tests), prompt_tokens=res["prompt_tokens"]))
        tuned, tok, _ = fine_tune(name, ds["train"], "lora", steps=steps, seed=seeds[0])   # the fine-tuned model: no shots (shots = -1)
        res = in_context(tuned, tok, tasks["summary"][0], [], shots=0, max_new_tokens=48)
        rows.append(dict(model=name, task="summary", shots=-1, score=score("summary", res["answers"], tasks["summary"][0]),
                         prompt_tokens=res["prompt_tokens"]))
        print(json.dumps(rows[-7:]), flush=True)
    return rows

def data(seeds, steps, n_eval, ds):
    from lora_course.choices import n_dialogues, fine_tune
    rows = []
    for seed in seeds:
        for method in ("full", "lora"):
            for n in SIZES:
                t0 = time.time()
                model, tok, h = fine_tune("micro-t5", n_dialogues(ds["train"], n, seed), method, steps=steps, seed=seed)
                rows.append(dict(method=method, n=n, seed=seed, steps=steps, seconds=round(time.time() - t0, 1),
                                 **_evaluate(model, tok, ds["test"], n_eval)))
                print(json.dumps(rows[-1]), flush=True)
    return rows

def replay(seeds, steps, n_eval, ds):
    from lora_course.models import load_model
    from lora_course.data import tokenize_dialogues
    from lora_course.train import forgetting_probe
    from lora_course.choices import replay_examples, mix_in, fine_tune
    base, tok = load_model("micro-t5")
    before, task_data = forgetting_probe(base), tokenize_dialogues(ds["train"], tok)
    rows, pool = [], replay_examples("seq2seq", len(task_data))
    for seed in seeds:
        for method in ("full", "lora"):
            for share in SHARES:
                model, tok, h = fine_tune("micro-t5", mix_in(task_data, pool, share, seed), method, steps=steps, seed=seed)
                rows.append(dict(method=method, share=share, seed=seed, steps=steps, **{"probe before": before, "probe rise": forgetting_probe(model) - before},
                                 **_evaluate(model, tok, ds["test"], n_eval)))
                print(json.dumps(rows[-1]), flush=True)
    return rows

def features(seeds, steps, n_eval, ds, n_train=600):
    from lora_course.town import dialogue_records
    from lora_course.models import load_model, count_parameters
    from lora_course.rag import tokenize_qa
    from lora_course.choices import kind_task, match_task, frozen_features, linear_probe, label_records, label_accuracy, fine_tune
    rows = []
    for seed in seeds:
        tasks = {"kind of chat": (kind_task(dialogue_records(n_train, "train", seed)), kind_task(dialogue_records(n_eval, "test", seed))),
                 "summary matches": (match_task(n_train, "train", seed), match_task(n_eval, "test", seed))}
        for task, (train, test) in tasks.items():
            base, tok = load_model("micro-t5")
            X, Y = frozen_features(base, tok, [t for t, _ in train]), frozen_features(base, tok, [t for t, _ in test])
            rows.append(dict(task=task, method="linear probe", seed=seed, **linear_probe(X, [l for _, l in train], Y, [l for _, l in test])))
            for method in ("lora", "full"):
                model, tok, h = fine_tune("micro-t5", tokenize_qa(label_records(train), tok), method, steps=steps, seed=seed)
                rows.append(dict(task=task, method=method, seed=seed, accuracy=label_accuracy(model, tok, test),
                                 trainable=count_parameters(model)["trainable"]))
            print(json.dumps(rows[-3:]), flush=True)
    return rows

def domain(seeds, steps, n_eval, ds, cpt_steps=200, qa_steps=150):
    from lora_course.town import town_facts, fact_records, fact_sentences
    from lora_course.models import load_model
    from lora_course.metrics import exact_match
    from lora_course.rag import answer_questions, closed_book_prompt, tokenize_qa
    from lora_course.choices import fact_paraphrases, continue_pretraining, split_places, fine_tune, prefers_new
    kb1, kb2, facts, old = fact_records(1), fact_records(2), town_facts(2), town_facts(1)
    v1 = {q["question"]: q["answer"] for q in kb1["questions"]}
    readings = {"none": None, "v2 documents": fact_sentences(facts), "v2 documents + paraphrases": fact_sentences(facts) + fact_paraphrases(facts)}
    rows = []
    for seed in seeds:
        asked, held = split_places(kb2["questions"], seed)
        changed = [q for q in held if q["answer"] != v1[q["question"]]]
        for reading, texts in readings.items():
            model, tok = load_model("micro-t5")
            if texts: continue_pretraining(model, texts, steps=cpt_steps, seed=seed)
            pref = prefers_new(model, tok, facts, old)   # stored? each changed fact masked in its v2 document: new value likelier?
            qa = tokenize_qa([dict(prompt=closed_book_prompt(q["question"]), answer=q["answer"]) for q in asked], tok)
            model, tok, h = fine_tune("micro-t5", qa, "lora", steps=qa_steps, lr=5e-3, seed=seed, model=model, tokenizer=tok)
            ans = {a["question"]: a["answer"] for a in answer_questions(model, tok, held)}
            em = lambda qs, key: sum(exact_match(ans[q["question"]], key(q)) for q in qs) / len(qs)
            rows.append(dict(reading=reading, seed=seed, cpt_steps=cpt_steps if texts else 0, qa_steps=qa_steps,
                             prefers_new=sum(pref.values()) / len(pref),
                             held_out=em(held, lambda q: q["answer"]), changed=em(changed, lambda q: q["answer"]),
                             old_fact=em(changed, lambda q: v1[q["question"]]), n_held=len(held), n_changed=len(changed)))
            print(json.dumps(rows[-1]), flush=True)
    return rows

def teacher(seeds, steps, n_eval, ds, n_gold=100):
    from lora_course.metrics import generate_summaries
    from lora_course.choices import n_dialogues, fine_tune, unlabelled_chats, labelled_by
    model, tok, h = fine_tune("micro-t5", ds["train"], "full", steps=steps, seed=0)
    rows = [dict(data="teacher (full fine-tuning, 3,000 gold)", seed=0, n=3000, **_evaluate(model, tok, ds["test"], n_eval))]
    chats = unlabelled_chats(10 * n_gold)
    written = generate_summaries(model, tok, chats, progress=False)
    print(json.dumps(rows[-1]), flush=True)
    for seed in seeds:
        for label, train in ((f"{n_gold} gold", n_dialogues(ds["train"], n_gold, seed)),
                             (f"{n_gold} by the teacher", labelled_by(chats[:n_gold], written[:n_gold])),
                             (f"{10 * n_gold} by the teacher", labelled_by(chats, written)),
                             (f"{10 * n_gold} gold", n_dialogues(ds["train"], 10 * n_gold, seed))):
            student, tok, h = fine_tune("micro-t5", train, "lora", steps=steps, seed=seed)
            rows.append(dict(data=label, seed=seed, n=len(train), **_evaluate(student, tok, ds["test"], n_eval)))
            print(json.dumps(rows[-1]), flush=True)
    return rows

PARTS = dict(prompting=prompting, data=data, replay=replay, features=features, domain=domain, teacher=teacher)

if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--parts", nargs="*", default=list(PARTS)); p.add_argument("--seeds", nargs="*", type=int, default=[0, 1])
    p.add_argument("--quick", action="store_true")
    a = p.parse_args()
    from lora_course.env import quiet_hf; quiet_hf()
    from lora_course.data import load_dialogues
    ds = load_dialogues("micro")
    if a.quick:   # every part runs, at a few steps on a few chats; nothing is written
        SIZES[:], SHARES[:] = [30, 40], [0, 0.5]
        for name, fn in PARTS.items():
            fn([0], 2, 4, ds, **dict(features=dict(n_train=40), domain=dict(cpt_steps=2, qa_steps=2), teacher=dict(n_gold=8)).get(name, {}))
        sys.exit(0)
    out = OUT / "choices.json"
    parts = json.loads(out.read_text())["parts"] if out.exists() else {}
    for name in a.parts:
        t0 = time.time()
        rows = PARTS[name](a.seeds, STEPS, N_EVAL, ds)
        parts[name] = dict(settings=dict(steps=STEPS, n_eval=N_EVAL, seeds=a.seeds), rows=rows, seconds=round(time.time() - t0), **stamp())
        write_result("choices", dict(parts=parts), folder=OUT)   # after each part: a later failure keeps the parts measured
