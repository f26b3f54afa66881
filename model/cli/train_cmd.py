"""`python main.py train`: train a translator and save a checkpoint.

Progress goes to stderr; with --json the last stdout line is one JSON object.
Ctrl-C stops after the current step, saves a checkpoint first, then validates (a second
Ctrl-C while saving waits for the save; during that validation it skips it). --out is
checked before training starts; if the save still fails, the checkpoint goes to a
fallback path in the working folder (or the temporary folder) and the log says where.
"""
from __future__ import annotations

import argparse
import signal
import tempfile
import time
from pathlib import Path

from model.cli.common import emit_json, fail, log, set_quiet
from model.cli.progress import Progress

DEFAULT_SPEC = "builtin:en-de"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", default=None, nargs="+", metavar="SPEC",
                   help="builtin:en-de (default), builtin:en-zh, a TSV/Tatoeba file, or SRC_FILE TGT_FILE; "
                        "with --resume, continue on this corpus instead of the checkpoint's")
    p.add_argument("--steps", type=int, default=None,
                   help="optimiser steps (default 2000, or no limit when --minutes is given alone)")
    p.add_argument("--minutes", type=float, default=None, help="stop after this many minutes of training")
    p.add_argument("--valid-size", type=int, default=500,
                   help="pairs held out of the corpus for validation (default 500; 0 allowed)")
    p.add_argument("--test-size", type=int, default=1000,
                   help="pairs held out of the corpus for testing (default 1000; 0 allowed)")
    p.add_argument("--log-every", type=int, default=50, metavar="STEPS",
                   help="steps between progress lines when stderr is not a terminal (a terminal gets a live line)")
    p.add_argument("--save-every", type=int, default=0, metavar="STEPS",
                   help="also save the checkpoint every this many steps (default 0: only at the end)")
    p.add_argument("--keep-saves", type=int, default=0, metavar="N",
                   help="with --save-every, also keep the last N saves as OUT.stepSTEP.safetensors "
                        "(for benchmarks/average_checkpoints.py)")
    p.add_argument("--out", required=True, help="checkpoint path to write (.safetensors)")
    p.add_argument("--config", help="JSON file with {'model': {...}, 'train': {...}} overrides")
    p.add_argument("--tokenizer", choices=("auto", "word", "char", "bpe"), default="auto",
                   help="auto (default): chosen per side from the corpus's script (BPE where words are "
                        "separated by spaces, characters where not; words for the built-in corpora)")
    p.add_argument("--vocab-size", type=int, default=None, help="BPE vocabulary size (default: from the corpus)")
    shape = p.add_argument_group(
        "model and schedule (default: chosen from the corpus and the time budget, printed at the start; "
        "these override the choice and --config)")
    for flag, kind, what in (("--d-model", int, "width of every token vector"),
                             ("--heads", int, "attention heads per layer (must divide --d-model)"),
                             ("--layers", int, "encoder layers"), ("--dec-layers", int, "decoder layers"),
                             ("--d-ff", int, "hidden width of the feed-forward blocks"),
                             ("--dropout", float, "dropout probability in training"),
                             ("--max-len", int, "longest sequence in tokens (longer pairs are left out of training)"),
                             ("--batch-tokens", int, "padded target tokens per batch"),
                             ("--lr", float, "peak learning-rate factor of the noam schedule"),
                             ("--warmup", int, "warm-up steps")):
        shape.add_argument(flag, type=kind, default=None, help=what)
    p.add_argument("--device", default="auto", help="auto, cpu, cuda or mps")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--eval-every", type=int, default=None)
    p.add_argument("--resume", help="continue from this checkpoint instead of a fresh model")
    p.add_argument("--checkpoint", metavar="PATH",
                   help="fine-tune a pretrained model on --corpus: an opus-mt (Marian) model folder "
                        "or a checkpoint (step 0, a fresh optimiser; an opus-mt folder trains at a "
                        "small constant rate unless --config says otherwise)")
    p.add_argument("--no-optimizer", action="store_true", help="leave optimiser state out of the checkpoint")
    p.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    p.add_argument("--run-log", metavar="PATH",
                   help="JSON Lines log of every step and evaluation (default: beside --out, "
                        "run.safetensors -> run.runlog.jsonl; 'none' for no log)")
    p.add_argument("--tensorboard", metavar="DIR",
                   help="also write TensorBoard event files to DIR (needs the tensorboard package)")
    p.add_argument("--token-cache", metavar="DIR",
                   help="tokenize the corpus file(s) once into DIR and train from memory-mapped "
                        "arrays (corpora larger than memory; the same defaults as without it, from "
                        "statistics of the file read as a stream; reused while file, tokenizers, "
                        "max_len and split are the same)")
    p.add_argument("--compile", action="store_true",
                   help="train through torch.compile (slow first steps; on CPU needs a C++ compiler)")


def _fine_tuner(args, spec, overrides, Trainer, load_corpus):
    """A Trainer holding the pretrained model of ``--checkpoint``, to train on ``--corpus``."""
    from pathlib import Path

    from model.checkpoint import load_checkpoint
    from model.config import TrainConfig
    from model.marian import FINE_TUNE

    base = FINE_TUNE if Path(args.checkpoint).is_dir() else load_checkpoint(args.checkpoint).train_config
    fields = {**base.to_dict(), **overrides.get("train", {}), "device": args.device}
    for name in ("seed", "eval_every"):
        if getattr(args, name) is not None:
            fields[name] = getattr(args, name)
    corpus_spec = spec if isinstance(spec, str) else " ".join(spec)
    return Trainer.from_pretrained(args.checkpoint, load_corpus(spec), TrainConfig.from_dict(fields),
                                   corpus_spec=corpus_spec)


MODEL_FLAGS = {"d_model": "d_model", "heads": "n_heads", "layers": "n_layers", "dec_layers": "n_dec_layers",
               "d_ff": "d_ff", "dropout": "dropout", "max_len": "max_len"}
TRAIN_FLAGS = {"batch_tokens": "batch_tokens", "lr": "lr", "warmup": "warmup"}


def _keep_save(trainer, out: str, keep: int) -> None:
    """Save the weights alone as OUT.stepSTEP.safetensors and remove all but the last ``keep``."""
    from pathlib import Path

    path = Path(out)
    trainer.save(path.with_name(f"{path.stem}.step{trainer.step_count}{path.suffix}"), include_optimizer=False)
    saves = sorted(path.parent.glob(f"{path.stem}.step*{path.suffix}"),
                   key=lambda p: int(p.name[len(path.stem) + 5:-len(path.suffix)] or 0))
    for old in saves[:-keep]:
        old.unlink(missing_ok=True)


def _flag_overrides(args: argparse.Namespace, flags: dict[str, str]) -> dict:
    return {field: getattr(args, flag) for flag, field in flags.items() if getattr(args, flag) is not None}


def _tokenizers(args: argparse.Namespace, choice) -> tuple[tuple[str, str], tuple]:
    """The chosen tokenizer kinds and vocabulary sizes, with --tokenizer/--vocab-size over them."""
    kinds = choice.tokenizer if args.tokenizer == "auto" else (args.tokenizer, args.tokenizer)
    if args.vocab_size is not None:
        return kinds, (args.vocab_size, args.vocab_size)
    sizes = tuple(size if kind == chosen else None
                  for kind, chosen, size in zip(kinds, choice.tokenizer, choice.vocab_size))
    return kinds, sizes


def _as_used(args: argparse.Namespace, choice, tokenizer, vocab, model_fields: dict, train_fields: dict):
    """The choice with what the options and --config set over it, and a reason naming those."""
    import dataclasses

    given = [f"tokenizer {tokenizer[0]}/{tokenizer[1]}"] if args.tokenizer != "auto" else []
    if args.vocab_size is not None:
        given.append(f"vocabulary {args.vocab_size:,}")
    given += [f"{k} {v}" for k, v in model_fields.items() if choice.model.get(k) != v]
    given += [f"{k} {v}" for k, v in train_fields.items() if k in choice.train and choice.train[k] != v]
    reasons = choice.reasons + ((f"set by the options or --config: {', '.join(given)}",) if given else ())
    return dataclasses.replace(choice, tokenizer=tuple(tokenizer), vocab_size=tuple(vocab), model=model_fields,
                               train=train_fields, reasons=reasons)


def run(args: argparse.Namespace) -> int:
    import torch  # noqa: F401  (imported here so `--help` stays fast)

    from model import datacache, distributed
    from model.checkpoint import CheckpointError, check_destination
    from model.config import ModelConfig, TrainConfig, load_json_config
    from model.corpus import CorpusError, load_corpus
    from model.defaults import Replanner, choose
    from model.runlog import RunLogError, open_run_logs
    from model.train import Trainer

    corpus_arg = args.corpus or [DEFAULT_SPEC]
    spec = corpus_arg[0] if len(corpus_arg) == 1 else list(corpus_arg)
    try:
        scale, args.device = distributed.from_env(args.device)
    except (ValueError, RuntimeError) as exc:
        return fail(str(exc).splitlines()[0])
    chosen = replanner = None
    try:
        overrides = load_json_config(args.config) if args.config else {}
        if args.resume and args.checkpoint:
            return fail("--resume continues a run, --checkpoint starts fine-tuning: give one of them")
        if scale.is_main:
            check_destination(args.out)  # before training, not after it
        scale.local_rank_zero_first(bool(args.token_cache), before=True)  # it builds a missing cache
        if args.resume and args.token_cache:
            trainer = datacache.resume_from_cache(args.resume, args.token_cache, args.device,
                                                  valid_size=args.valid_size, test_size=args.test_size)
        elif args.resume:
            trainer = _resumed(args, spec, Trainer, load_corpus)
        elif args.checkpoint:
            trainer = _fine_tuner(args, spec, overrides, Trainer, load_corpus)
        else:
            train_fields = dict(overrides.get("train", {}))
            train_fields["device"] = args.device
            if args.seed is not None:
                train_fields["seed"] = args.seed
            if args.eval_every is not None:
                train_fields["eval_every"] = args.eval_every
            model_fields = dict(overrides.get("model", {}))
            if args.token_cache:  # the same choices, from statistics of the file read as a stream
                choice, streamed = datacache.choose_streamed(
                    spec, args.token_cache, valid_size=args.valid_size, test_size=args.test_size,
                    minutes=args.minutes, steps=args.steps, device=args.device, progress=log)
                log(streamed.split_line())
            else:
                corpus = load_corpus(spec, valid_size=args.valid_size, test_size=args.test_size)
                log(f"split: {len(corpus.train):,} training, {len(corpus.valid):,} validation, "
                    f"{len(corpus.test):,} test pairs (seed 0; --valid-size/--test-size change it)")
                choice = choose(corpus, minutes=args.minutes, steps=args.steps, device=args.device)
            tokenizer, vocab = _tokenizers(args, choice)
            model_fields = {**choice.model, **model_fields, **_flag_overrides(args, MODEL_FLAGS)}
            train_fields = {**choice.train, **train_fields, **_flag_overrides(args, TRAIN_FLAGS)}
            ModelConfig.from_dict({"src_vocab": 1, "tgt_vocab": 1, **model_fields})  # validate early
            used = _as_used(args, choice, tokenizer, vocab, model_fields,
                            {k: v for k, v in train_fields.items() if k != "device"})
            for line in used.summary():
                log(line)
            chosen = used.to_dict()
            if args.token_cache:
                trainer = datacache.trainer_from_cache(
                    spec, args.token_cache, tokenizer, vocab, model_fields, TrainConfig.from_dict(train_fields),
                    progress=log, valid_size=args.valid_size, test_size=args.test_size, digest=streamed.digest)
            else:
                trainer = Trainer.from_corpus(corpus, tokenizer=tokenizer, vocab_size=vocab,
                                              model_config=model_fields, train_cfg=TrainConfig.from_dict(train_fields))
                trainer.corpus_spec = spec if isinstance(spec, str) else " ".join(spec)
            fixed = {*overrides.get("train", {}), *_flag_overrides(args, TRAIN_FLAGS)}
            if args.eval_every is not None:
                fixed.add("eval_every")
            replanner = None if scale.distributed else Replanner(choice, fixed)  # ranks must agree
        scale.local_rank_zero_first(bool(args.token_cache), before=False)
        distributed.attach(trainer, scale)
        if args.compile:
            distributed.compile_training(trainer)
        n_params = sum(p.numel() for p in trainer.model.parameters())
        logs = open_run_logs(args, trainer, scale, n_params) if scale.is_main else None
    except (CorpusError, CheckpointError, RunLogError, ValueError, OSError, RuntimeError) as exc:
        scale.close()
        return fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    if not scale.is_main:  # rank 0 alone prints, evaluates and saves
        set_quiet(True)
    log(f"training on {trainer.device.type}: {n_params:,} parameters, "
        f"{len(trainer.data['train'].pairs):,} training pairs, vocab {trainer.src_tok.vocab_size}/{trainer.tgt_tok.vocab_size}")
    if scale.distributed:
        log(f"data parallel: {scale.world_size} processes ({scale.backend}); effective batch "
            f"{scale.world_size} x {trainer.train_cfg.batch_tokens} padded tokens per step; "
            "the learning-rate schedule counts global steps")

    stop = {"now": False, "phase": "training"}
    steps = args.steps if args.steps is not None else (None if args.minutes else 2000)
    progress = Progress(steps, args.minutes, first_step=trainer.step_count, every=args.log_every)

    def _on_sigint(signum, frame):
        if stop["phase"] == "saving":
            log("interrupted again: still saving; the checkpoint will be complete in a moment")
        elif stop["phase"] == "validating":
            raise KeyboardInterrupt
        else:
            stop["now"] = True
            progress.line("interrupted: finishing this step, then saving")

    previous = signal.signal(signal.SIGINT, _on_sigint)
    start_step = trainer.step_count
    tokens, last = 0, None
    last_valid = {}
    try:
        while steps is None or trainer.step_count < start_step + steps:
            if scale.agree(stop["now"] or bool(args.minutes and progress.elapsed() > args.minutes * 60)):
                break
            report = trainer.step()
            if report.nonfinite:
                kept = ("" if report.restored_step is None
                        else f", put back the weights of step {report.restored_step}")
                progress.line(f"the loss or gradients stopped being finite{kept}; stopping. Try a lower "
                              "learning rate (--lr) or gradient clipping, and --resume")
                break
            last = report
            step_tokens = trainer.step_tokens if scale.distributed else report.tokens
            tokens += step_tokens
            if logs is not None:
                logs.step(report, trainer, step_tokens)
            if scale.is_main:
                progress.update(report)
                if args.save_every and report.step % args.save_every == 0:
                    stop["phase"] = "saving"
                    trainer.save(args.out, include_optimizer=not args.no_optimizer)
                    if args.keep_saves:
                        _keep_save(trainer, args.out, args.keep_saves)
                    stop["phase"] = "training"
            if replanner is not None and (note := replanner.check(trainer, progress.elapsed(),
                                                                  trainer.step_count - start_step)):
                progress.line(note)
            if report.valid_loss is not None:
                last_valid = {"valid_loss": report.valid_loss, "valid_bleu": report.valid_bleu,
                              "valid_accuracy": report.valid_accuracy}
                if scale.is_main:
                    progress.line(f"step {report.step:6d}  loss {progress.loss.value:.3f}  "
                                  f"valid loss {report.valid_loss:.3f}  acc {report.valid_accuracy:.3f}  "
                                  f"BLEU {report.valid_bleu:.1f}  {report.tokens_per_s:,.0f} tok/s  "
                                  f"{progress.elapsed():.0f}s")
        progress.clear()
        wall = progress.elapsed()
        if not scale.is_main:
            scale.close()  # waits there while rank 0 evaluates and saves
            return 0
        # Interrupted: save first, then validate. Otherwise validate first, so the
        # checkpoint keeps the final validation metrics; Ctrl-C there skips to the save.
        validate = not last_valid or (last is not None and last.valid_loss is None)
        if validate and not stop["now"]:
            last_valid = _validate(trainer, stop) or last_valid
            validate = False
        stop["phase"] = "saving"
        path = _save(trainer, args.out, not args.no_optimizer)
        if validate:
            last_valid = _validate(trainer, stop) or last_valid
    finally:
        signal.signal(signal.SIGINT, previous)
        progress.clear()
    smoothed = progress.loss.value
    log(f"saved {path} after {trainer.step_count} steps ({wall:.0f}s)"
        + (f"; train loss {smoothed:.3f} (smoothed)" if smoothed is not None else "")
        + (f"; valid BLEU {last_valid['valid_bleu']:.1f}" if last_valid else ""))
    if logs is not None:
        logs.close(step=trainer.step_count, checkpoint=str(path), wall_s=wall, interrupted=stop["now"],
                   **last_valid)
    scale.close()
    if args.json:
        emit_json({"steps": trainer.step_count, "train_loss": smoothed, "last_step_loss": last.loss if last else None,
                   **last_valid, "tokens_per_s": tokens / max(trainer.elapsed_s, 1e-9),
                   "wall_s": wall, "device": trainer.device.type, "parameters": n_params,
                   "checkpoint": str(path), "interrupted": stop["now"],
                   "choices": chosen and {**chosen, "replanned": replanner and replanner.change}})
    return 0


def _resumed(args, spec, trainer_cls, load_corpus):
    """The trainer of --resume, on --corpus when given (with a message), else on the
    checkpoint's own corpus."""
    if not args.corpus:
        trainer = trainer_cls.from_checkpoint(args.resume, device=args.device)
    else:
        text = spec if isinstance(spec, str) else " ".join(spec)
        trainer = trainer_cls.from_checkpoint(args.resume, corpus=load_corpus(spec), device=args.device,
                                              corpus_spec=text)
        log(f"resuming on --corpus {text}")
    if trainer.resume_note:
        log(f"resume: {trainer.resume_note}")
    return trainer


def _validate(trainer, stop) -> dict | None:
    """Validation metrics, or None when Ctrl-C skipped the pass."""
    stop["phase"] = "validating"
    try:
        ev = trainer.evaluate("valid", n=trainer.train_cfg.eval_sentences)
    except KeyboardInterrupt:
        log("interrupted: validation skipped")
        return None
    finally:
        stop["phase"] = "saving"
    return {"valid_loss": ev["loss"], "valid_bleu": ev["bleu"], "valid_accuracy": ev["accuracy"]}


def fallback_paths(out: str) -> list[Path]:
    """Where a checkpoint goes when --out cannot be written: the working folder, then the
    temporary folder, under a name that says so."""
    name = f"{Path(out).stem or 'model'}.rescued-{time.strftime('%Y%m%d-%H%M%S')}.safetensors"
    return [Path.cwd() / name, Path(tempfile.gettempdir()) / name]


def _save(trainer, out: str, include_optimizer: bool) -> Path:
    """Save to ``out``; if that fails, to the first fallback path that works (logged)."""
    try:
        return trainer.save(out, include_optimizer=include_optimizer)
    except (OSError, ValueError) as exc:
        problem = f"{exc.strerror or exc}" if isinstance(exc, OSError) else str(exc)
        for path in fallback_paths(out):
            try:
                saved = trainer.save(path, include_optimizer=include_optimizer)
            except (OSError, ValueError):
                continue
            log(f"could not write {out} ({problem}); saved the checkpoint to {saved} instead")
            return saved
        raise
