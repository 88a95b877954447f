"""Subcommands that apps add to `unionhall bench` and `unionhall generate`, registered from `AppConfig.ready()`.

`bench NAME ...` runs one benchmark; `generate --units N --members M ...` runs every generator whose
option was given, in order (units before the members that live in them).
"""

from argparse import ArgumentParser
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand

Run = Callable[[BaseCommand, dict[str, Any]], None]


@dataclass(frozen=True)
class Benchmark:
    """`unionhall bench NAME`: its help, its arguments and what it runs."""

    name: str
    help: str
    add_arguments: Callable[[ArgumentParser], None]
    run: Run


@dataclass(frozen=True)
class Generator:
    """Options of `unionhall generate`; `run` is called when `wanted(options)` is true, lowest `order` first."""

    order: int
    add_arguments: Callable[[ArgumentParser], None]
    wanted: Callable[[dict[str, Any]], bool]
    run: Run


_benchmarks: dict[str, Benchmark] = {}
_generators: list[Generator] = []


def register_benchmark(benchmark: Benchmark) -> None:
    _benchmarks[benchmark.name] = benchmark


def benchmarks() -> list[Benchmark]:
    return [_benchmarks[name] for name in sorted(_benchmarks)]


def register_generator(generator: Generator) -> None:
    if generator not in _generators:
        _generators.append(generator)


def generators() -> list[Generator]:
    return sorted(_generators, key=lambda g: g.order)
