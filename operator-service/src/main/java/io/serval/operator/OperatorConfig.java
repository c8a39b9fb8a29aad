package io.serval.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Operator settings (prefix serval.operator). */
@ConfigMapping(prefix = "serval.operator")
public interface OperatorConfig {

  /** Where specs, revisions, desired replicas, the API tokens and replica logs are kept. */
  @WithDefault("${user.home}/.serval/state")
  Path stateDir();

  /** The autoscaler's tick: autoscaling.window must be a multiple of it. */
  @WithDefault("10s")
  Duration autoscalerTick();

  /** Public base URL of the router, used for the endpoint URL in status. */
  @WithDefault("http://localhost:8080")
  String routerUrl();

  /**
   * Where replicas run: local (child JVMs), kubernetes (custom resources and Deployments, see
   * serval.operator.kubernetes.*) or none (specs and routes only, no replicas).
   */
  @WithDefault("local")
  RuntimeKind runtime();

  /**
   * How long what each revision's replicas answered (reported by the routers) is kept for canary
   * analysis; a rollout step longer than this is judged on its last stretch only.
   */
  @WithDefault("1h")
  Duration outcomeRetention();

  /**
   * Deaths of one replica (since it was last stable) from which its API is Degraded (CrashLoop) and
   * a rollout to its revision is rolled back. The same rule on every runtime.
   */
  @WithDefault("3")
  int crashLoopRestarts();

  /** Bearer-token auth of the management API (/v1): every call needs a token. */
  Auth auth();

  interface Auth {
    /**
     * Off only when set explicitly; the tokens are generated into {state-dir}/token and
     * {state-dir}/read-token on first start unless their files are given.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * File of the admin token (every call, reads and writes), e.g. a mounted Secret shared by all
     * operator replicas; must exist. Default: {state-dir}/token, generated (0600) if absent.
     */
    Optional<Path> tokenFile();

    /**
     * File of the read-only token (GET calls only: views, replicas, logs), for dashboards and
     * read-only users; must exist. Default: {state-dir}/read-token, generated (0600) if absent.
     */
    Optional<Path> readTokenFile();
  }

  enum RuntimeKind {
    local,
    kubernetes,
    none;

    /** Whether this runtime runs replicas and reports their readiness. */
    public boolean runsReplicas() {
      return this != none;
    }
  }
}
