"""Node parameters declared from dataclasses (plain Python; the ROS side is
omnilive.ros.params).

A config is a dataclass whose fields are `param(...)` (one parameter) or `group(Cls)` (a nested
dataclass whose fields get the prefix '<field>.', as in `asr.model`). Each parameter carries its
description, an optional range or set of choices, and whether changing it needs a restart
(`restart=True`: declared read-only); the others may change while the node runs."""
from __future__ import annotations

import dataclasses
from typing import Any, Iterator, Optional, Sequence

RESTART_NOTE = ' (read-only: takes effect at start, restart the node to change it)'


def param(default, description: str, *, restart: bool = False,
          range: Optional[tuple[float, float]] = None,  # noqa: A002 (the descriptor's word)
          choices: Optional[Sequence] = None):
    return dataclasses.field(default=default, metadata={
        'description': description, 'restart': restart, 'range': range,
        'choices': tuple(choices) if choices else None})


def group(cls):
    return dataclasses.field(default_factory=cls)


@dataclasses.dataclass(frozen=True)
class ParamSpec:
    name: str                   # the ROS parameter name, e.g. 'asr.model'
    path: tuple[str, ...]       # attributes leading to the value in the config
    default: Any
    type: type                  # bool, int, float or str (the declared ROS type)
    description: str
    read_only: bool
    range: Optional[tuple[float, float]]
    choices: Optional[tuple]

    @property
    def full_description(self) -> str:
        extra = f' (one of: {", ".join(map(str, self.choices))})' if self.choices else ''
        return self.description + extra + (RESTART_NOTE if self.read_only else '')

    def check(self, value) -> Optional[str]:
        """Why `value` is not acceptable for this parameter, or None."""
        if self.type is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, self.type) or (self.type is int and isinstance(value, bool)):
            return f'{self.name} must be a {self.type.__name__}, got {value!r}'
        if self.range is not None and not self.range[0] <= value <= self.range[1]:
            return f'{self.name} must be within [{self.range[0]}, {self.range[1]}], got {value!r}'
        if self.choices is not None and value not in self.choices:
            return f'{self.name} must be one of {list(self.choices)}, got {value!r}'
        return None


def param_specs(config, prefix: str = '', path: tuple = ()) -> Iterator[ParamSpec]:
    """The parameters of a config (an instance or the class), groups flattened."""
    for f in dataclasses.fields(config):
        if 'description' in f.metadata:
            m = f.metadata
            yield ParamSpec(prefix + f.name, path + (f.name,), f.default, type(f.default),
                            m['description'], m['restart'], m['range'], m['choices'])
        else:
            yield from param_specs(f.default_factory(), f'{prefix}{f.name}.', path + (f.name,))


def get_value(config, spec: ParamSpec):
    for attr in spec.path:
        config = getattr(config, attr)
    return config


def set_value(config, spec: ParamSpec, value) -> None:
    for attr in spec.path[:-1]:
        config = getattr(config, attr)
    setattr(config, spec.path[-1], float(value) if spec.type is float else value)


def update(config, specs: dict[str, ParamSpec], changes: dict[str, Any],
           at_start: bool = False) -> Optional[str]:
    """Apply `changes` (name -> value) to `config`, all or none: the first reason a change is
    refused (unknown, read-only after the start, or a bad value), else None."""
    for name, value in changes.items():
        spec = specs.get(name)
        if spec is None:
            return f'{name} is not a parameter of this node'
        if spec.read_only and not at_start:
            return f'{name} is read-only: restart the node to change it'
        reason = spec.check(value)
        if reason:
            return reason
    for name, value in changes.items():
        set_value(config, specs[name], value)
    return None
