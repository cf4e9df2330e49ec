"""Declare a node's parameters from its config dataclass (omnilive.util.node_config) and keep
the config current while the node runs.

Each parameter gets a ParameterDescriptor with its description, its range (FloatingPointRange
or IntegerRange) and read_only for those that need a restart. A change at run time is checked
(rclpy checks the type, range and read-only; the config's own rules, e.g. choices, here),
written into the config the logic reads, then passed to the node's `on_change` hooks for values
that live in other objects."""
from __future__ import annotations

from typing import Any, Callable, Mapping, TypeVar

from rcl_interfaces.msg import (FloatingPointRange, IntegerRange, ParameterDescriptor,
                                SetParametersResult)
from rclpy.node import Node

from omnilive.util.params import ParamSpec, get_value, param_specs, update

C = TypeVar('C')


def descriptor(spec: ParamSpec) -> ParameterDescriptor:
    d = ParameterDescriptor(description=spec.full_description, read_only=spec.read_only)
    if spec.range is not None and spec.type is float:
        d.floating_point_range = [FloatingPointRange(from_value=float(spec.range[0]),
                                                     to_value=float(spec.range[1]), step=0.0)]
    elif spec.range is not None and spec.type is int:
        d.integer_range = [IntegerRange(from_value=int(spec.range[0]),
                                        to_value=int(spec.range[1]), step=1)]
    return d


class LiveConfig:
    """The parameters of `node` declared from `config` (filled with the values the node was
    started with) and kept current: `on_change[name](value)` runs after a run-time change."""

    def __init__(self, node: Node, config: C,
                 on_change: Mapping[str, Callable[[Any], None]] | None = None):
        self.node, self.config = node, config
        self.specs = {s.name: s for s in param_specs(config)}
        self.on_change = dict(on_change or {})
        unknown = set(self.on_change) - set(self.specs)
        if unknown:
            raise ValueError(f'on_change for undeclared parameters: {sorted(unknown)}')
        started = {}
        for name, spec in self.specs.items():
            node.declare_parameter(name, spec.default, descriptor(spec))
            started[name] = node.get_parameter(name).value
        reason = update(config, self.specs, started, at_start=True)
        if reason:  # e.g. a value outside its choices: a clear error before anything starts
            raise ValueError(f'{node.get_name()}: {reason}')
        node.add_on_set_parameters_callback(self._on_set)

    def _on_set(self, parameters) -> SetParametersResult:
        ours = {p.name: p.value for p in parameters if p.name in self.specs}
        if not ours:
            return SetParametersResult(successful=True)
        reason = update(self.config, self.specs, ours)
        if reason:
            self.node.get_logger().warning(f'parameter change refused: {reason}')
            return SetParametersResult(successful=False, reason=reason)
        for name, value in ours.items():
            hook = self.on_change.get(name)
            if hook is not None:
                hook(get_value(self.config, self.specs[name]))
        self.node.get_logger().info('parameters changed: ' +
                                    ', '.join(f'{k}={v!r}' for k, v in ours.items()))
        return SetParametersResult(successful=True)


def attribute_setters(root, targets: Mapping[str, list[str]]) -> dict[str, Callable]:
    """on_change hooks that set attributes: {parameter: ['a.b.attr', ...]} sets root.a.b.attr
    (looked up at each change: the objects may be built after the parameters are declared)."""
    def setter(paths):
        def set_all(value):
            for path in paths:
                owner, _, attr = path.rpartition('.')
                obj = root
                for part in owner.split('.') if owner else ():
                    obj = getattr(obj, part)
                if not hasattr(obj, attr):
                    raise AttributeError(f'{type(obj).__name__} has no attribute {attr!r}')
                setattr(obj, attr, value)
        return set_all
    return {name: setter(paths) for name, paths in targets.items()}
