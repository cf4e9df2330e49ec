"""The base of the omnilive nodes: a managed (lifecycle) node, as llama_ros and whisper_ros are,
that owns the grouped parameters (omnilive.ros.params.LiveConfig), the /diagnostics status and
the transitions; a node subclass only says what each transition does:

- configure(): build the logic and load the models from the parameters. A configuration or model
  error (node_util.CONFIGURATION_ERRORS) fails the transition: the node stays unconfigured, its
  /diagnostics status turns ERROR with the reason (`config_error`) and a later configure may
  try again (a model provisioned since, a parameter corrected).
- activate(): subscribe and serve. deactivate(): stop listening, watching and serving (the
  privacy mute; lifecycle publishers stop too). release(): free the models (cleanup, shutdown).

Parameters are declared at construction, so `ros2 param` and a params file reach an
unconfigured node; a run-time change reaches the objects configure() built (`on_change` hooks)
only once they exist: configure() reads the current values anyway. With `autostart` (the
default, as nav2's lifecycle manager and llama_ros's launch files do) node_util.spin() brings the
node to active before spinning; a node that cannot configure then exits with EXIT_CONFIG, which
launch and `omnilive run` do not respawn.
"""
from __future__ import annotations

import traceback
from typing import Any, Callable, Mapping

from rcl_interfaces.msg import ParameterDescriptor
from rclpy.lifecycle import LifecycleNode, LifecycleState, TransitionCallbackReturn

from omnilive.ros.graph import EXIT_CONFIG
from omnilive.ros.node_util import CONFIGURATION_ERRORS, Diagnostics
from omnilive.ros.params import LiveConfig
from omnilive.util.diagnostics import Counters, Schema

SUCCESS = TransitionCallbackReturn.SUCCESS
FAILURE = TransitionCallbackReturn.FAILURE
ERROR = TransitionCallbackReturn.ERROR


class ManagedNode(LifecycleNode):
    """A lifecycle node with LiveConfig parameters, Counters and a Diagnostics publisher.

    Subclasses set `schema` (their /diagnostics keys) and implement configure(), activate(),
    deactivate(), release() and diagnostic_values() (called only while configured)."""

    schema: type[Schema] = Schema

    def __init__(self, name: str, config: Any,
                 on_change: Mapping[str, Callable[[Any], None]] | None = None):
        super().__init__(name)
        self.declare_parameter('autostart', True, ParameterDescriptor(
            description='configure and activate at start (false: wait for a lifecycle manager '
                        'or `ros2 lifecycle set`)', read_only=True))
        self.configured = False
        self.config_error = ''
        hooks = {name: self._when_configured(hook) for name, hook in (on_change or {}).items()}
        self.cfg = LiveConfig(self, config, hooks).config
        self.counters = Counters(self.schema)
        self.diagnostics = Diagnostics(self, self.schema, self._diagnostic_values,
                                       getattr(self.cfg, 'diagnostics_period_s', 2.0))

    def _when_configured(self, hook: Callable[[Any], None]) -> Callable[[Any], None]:
        def apply(value):
            if self.configured:   # else configure() reads the new value from self.cfg
                hook(value)
        return apply

    # ------------------------------------------------------------------ what subclasses do
    def configure(self) -> None:
        """Build the logic and load the models (raise a CONFIGURATION_ERRORS on bad config)."""

    def activate(self) -> None:
        """Subscribe and serve."""

    def deactivate(self) -> None:
        """Stop listening, watching and serving."""

    def release(self) -> None:
        """Free what configure() built; safe on a half-configured node."""

    def diagnostic_values(self) -> dict:
        return self.counters.snapshot()

    # ------------------------------------------------------------------ state
    @property
    def state(self) -> str:
        """The lifecycle state's label: unconfigured, inactive, active, finalized, ..."""
        return self._state_machine.current_state[1]

    @property
    def active(self) -> bool:
        return self.state == 'active'

    def _diagnostic_values(self) -> dict:
        values = self.diagnostic_values() if self.configured else self.counters.snapshot()
        values[self.schema.LIFECYCLE] = self.state
        if self.config_error:
            values[self.schema.CONFIG_ERROR] = self.config_error
        return values

    # ------------------------------------------------------------------ transitions
    def on_configure(self, state: LifecycleState) -> TransitionCallbackReturn:
        try:
            self.configure()
        except CONFIGURATION_ERRORS as err:   # a missing model, a bad parameter
            return self._configure_failed(str(err), FAILURE)
        except Exception as err:  # noqa: BLE001 (a defect: reported as ERROR, with its trace)
            self.get_logger().error(traceback.format_exc())
            return self._configure_failed(f'{type(err).__name__}: {err}', ERROR)
        self.configured, self.config_error = True, ''
        self.get_logger().info('configured')
        return SUCCESS

    def _configure_failed(self, reason: str, code) -> TransitionCallbackReturn:
        self.config_error = reason
        self.get_logger().error(f'cannot configure: {reason}')
        self._release()
        self.diagnostics.publish()   # the ERROR status at once, even if the process exits now
        return code

    def on_activate(self, state: LifecycleState) -> TransitionCallbackReturn:
        result = super().on_activate(state)   # enables the lifecycle publishers first
        self.activate()
        self.get_logger().info(f'{self.get_name()} ready (active)')
        return result

    def on_deactivate(self, state: LifecycleState) -> TransitionCallbackReturn:
        self.deactivate()
        self.get_logger().info('inactive: not listening, watching or serving')
        return super().on_deactivate(state)

    def on_cleanup(self, state: LifecycleState) -> TransitionCallbackReturn:
        self._release()
        return SUCCESS

    def on_shutdown(self, state: LifecycleState) -> TransitionCallbackReturn:
        if state.label == 'active':
            self.deactivate()
        self._release()
        return SUCCESS

    def on_error(self, state: LifecycleState) -> TransitionCallbackReturn:
        self._release()
        return SUCCESS   # back to unconfigured: a later configure may succeed

    def _release(self) -> None:
        self.configured = False
        self.release()

    # ------------------------------------------------------------------ autostart
    def autostart(self) -> tuple[int, str]:
        """Configure and activate when the `autostart` parameter says so: (0, '') when active
        or left unconfigured on purpose, else (EXIT_CONFIG or 1, why)."""
        if not self.get_parameter('autostart').value:
            self.get_logger().info('unconfigured: waiting for configure (autostart is false)')
            return 0, ''
        result = self.trigger_configure()
        if result != SUCCESS:
            return (EXIT_CONFIG if result == FAILURE else 1), self.config_error
        if self.trigger_activate() != SUCCESS:
            return 1, 'activation failed'
        return 0, ''

    def destroy_node(self) -> None:
        # not deactivate(): at exit the context may be shut down already (nothing can be
        # published), and the node's subscriptions and services go with it anyway
        if self.configured:
            self._release()
        super().destroy_node()
