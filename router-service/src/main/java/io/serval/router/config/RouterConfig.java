package io.serval.router.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Router settings, prefix {@code serval.router}. */
@ConfigMapping(prefix = "serval.router")
public interface RouterConfig {

  /** Names this router in the operator's and autoscaler's logs; defaults to host name + pid. */
  Optional<String> routerId();

  /** gRPC host:port of the operator (Routes.WatchRoutes and Scaling.WakeUp). */
  @WithDefault("localhost:8091")
  String operatorAddress();

  /**
   * A static routes file (RouteSnapshot in its proto3 JSON form, as JSON or YAML). When set, the
   * router serves these routes, re-reads the file when it changes, and does not watch the operator.
   */
  Optional<Path> routesFile();

  /** How often the routes file is checked for changes. */
  @WithDefault("1s")
  Duration routesFilePollInterval();

  /** gRPC host:port of the autoscaler (Stats.ReportStats). */
  @WithDefault("localhost:8071")
  String autoscalerAddress();

  /** Whether in-flight samples are streamed to the autoscaler. */
  @WithDefault("true")
  boolean statsEnabled();

  /** Length of one stats sample period. */
  @WithDefault("1s")
  Duration statsInterval();

  /** Largest request accepted (REST body or gRPC message) and largest predictor answer relayed. */
  @WithDefault("64M")
  MemorySize maxMessageSize();

  /** How often queued requests are checked against their deadline. */
  @WithDefault("5ms")
  Duration deadlineSweepInterval();

  /** Reconnection backoff for the operator and autoscaler streams. */
  Reconnect reconnect();

  /** Retries of requests that a replica never accepted. */
  Retry retry();

  /** Taking replicas that keep refusing out of rotation. */
  Ejection ejection();

  /** Asking the operator for replicas when an API has none ready. */
  WakeUp wakeUp();

  /** Who may call the data plane (health endpoints stay open). */
  Access access();

  /** What clients can make the router hold: memory, threads, time. */
  Limits limits();

  interface Limits {
    /**
     * Request body bytes (REST) held at once across every connection, from their first byte until
     * their request is over. A body that does not fit is refused with 503 and Retry-After (at once
     * when its Content-Length does not fit). At least serval.router.max-message-size.
     */
    @WithDefault("256M")
    MemorySize inFlightBodyBytes();

    /**
     * Longest pause between two pieces of a request body; a body that stalls longer ends with 408
     * and its connection is closed, releasing what it held. (Idle connections, with no request
     * under way, are closed after quarkus.http.idle-timeout.)
     */
    @WithDefault("30s")
    Duration bodyReadTimeout();

    /**
     * Request bodies and answers larger than this are decoded and encoded on the codec threads
     * rather than on the event loop, so that large JSON does not hold up health checks and small
     * requests; smaller ones stay on the event loop, where they cost least.
     */
    @WithDefault("128K")
    MemorySize offloadCodecAbove();

    /** Threads that decode and encode large bodies; default: half the cores, at least one. */
    Optional<Integer> codecThreads();
  }

  interface Access {
    /**
     * Accepted API keys, sent as {@code Authorization: Bearer <key>} or {@code X-Api-Key} (HTTP
     * header or gRPC metadata). Empty: no key needed.
     */
    Optional<List<String>> apiKeys();

    /** Client networks allowed, e.g. {@code 10.0.0.0/8,::1/128}. Empty: any address. */
    Optional<List<String>> allowedCidrs();
  }

  interface Reconnect {
    /** First wait before reconnecting. */
    @WithDefault("100ms")
    Duration initialBackoff();

    /** Longest wait between reconnection attempts. */
    @WithDefault("5s")
    Duration maxBackoff();
  }

  interface Retry {
    /** Attempts in all, the first included; 1 disables retries. */
    @WithDefault("3")
    int maxAttempts();

    /** Wait before the first retry; doubled for each further one. */
    @WithDefault("2ms")
    Duration initialBackoff();

    /** Longest wait between attempts. */
    @WithDefault("50ms")
    Duration maxBackoff();
  }

  interface Ejection {
    /** Consecutive refusals that take a replica out of rotation. */
    @WithDefault("3")
    int consecutiveFailures();

    /** How often ejected replicas are health-checked (ServerReady) for readmission. */
    @WithDefault("1s")
    Duration probeInterval();
  }

  interface WakeUp {
    /** Whether to call Scaling.WakeUp when a request queues for an API with no ready replica. */
    @WithDefault("true")
    boolean enabled();

    /** At most one wake-up call per API per this interval. */
    @WithDefault("5s")
    Duration minInterval();
  }

  /** Async requests ({@code Prefer: respond-async}) and the durable store that holds them. */
  Async async();

  interface Async {
    /**
     * Whether the router accepts async requests and runs their dispatch (the pump). Off: {@code
     * Prefer: respond-async} is ignored, as RFC 7240 allows, and requests are answered at once.
     */
    @WithDefault("true")
    boolean enabled();

    /** Where async requests are kept. */
    Store store();

    /**
     * Requests of one API accepted and not yet finished (pending or running) at most; one more is
     * refused with 429.
     */
    @WithDefault("10000")
    int maxBacklogPerApi();

    /**
     * How long a finished request's result (or failure) is kept before it is deleted and its id
     * answers 404, for an API whose route carries no {@code spec.async.resultTtl} (the operator
     * sends every API's, 24h unless its spec says otherwise; routes from a file may leave it out).
     */
    @WithDefault("24h")
    Duration resultTtl();

    /**
     * How long a router's claim on a request holds without renewal; a router that dies holding one
     * leaves it to another (or to itself restarted) after this. Renewed every third of it.
     */
    @WithDefault("30s")
    Duration lease();

    /**
     * Tries of one request in all: claims after a crash, and retries of transient failures (503,
     * UNAVAILABLE, timeouts). A client error (4xx) fails the request at once.
     */
    @WithDefault("5")
    int maxAttempts();

    /** Wait before retrying a transient failure; doubled for each further try. */
    @WithDefault("500ms")
    Duration retryBackoff();

    /** Longest wait between two tries of a request. */
    @WithDefault("30s")
    Duration maxRetryBackoff();

    /** How often the pump looks for work when it found none the last time. */
    @WithDefault("100ms")
    Duration pollInterval();

    /** Most requests taken in one claim. */
    @WithDefault("64")
    int claimBatch();

    /**
     * The starvation bound of background work (async requests, batch items): the longest one waits
     * in the queue while realtime requests go first (past it, it goes first), and the longest the
     * realtime reserve ({@link #realtimeWindow()}) keeps an API's background work off every slot
     * before one request may go. Not negative.
     */
    @WithDefault("2s")
    Duration maxBackgroundWait();

    /**
     * How far back an API's realtime demand (its realtime requests in flight plus those waiting) is
     * remembered: while it saw realtime traffic within this window, async requests and batch items
     * take only the slots above its peak demand in the window plus {@link #realtimeHeadroom()}, so
     * that a realtime request finds a free slot instead of waiting for a background inference to
     * finish. 1s to 1h. The default covers realtime clients that send at least every few seconds,
     * and gives background work its slots back 9 to 10 s after realtime traffic stops (a longer
     * window holds a batch job at the starvation floor's pace for longer after a realtime burst).
     */
    @WithDefault("10s")
    Duration realtimeWindow();

    /**
     * Slots kept free for realtime traffic above its recent peak demand (bursts, a closed-loop
     * client's next request), while the API saw realtime traffic within {@link #realtimeWindow()}.
     * 0 to 1000.
     */
    @WithDefault("1")
    int realtimeHeadroom();

    /** How often expired results are deleted. */
    @WithDefault("1m")
    Duration purgeInterval();

    /**
     * Whether a request whose API has a free slot when it arrives is stored already claimed by this
     * router and run at once (one store write), rather than stored pending and then claimed by the
     * pump (two writes and a hop). Either way it is durable before the 202 and survives a crash.
     */
    @WithDefault("true")
    boolean claimAtSubmit();

    /**
     * The longest a result request ({@code GET} on an async request) is held when it asks to wait
     * ({@code Prefer: wait=N}, RFC 7240): a larger N is cut to this. Zero: never held.
     */
    @WithDefault("60s")
    Duration maxResultWait();

    /**
     * Result requests held at once on this router at most; past it one that asks to wait is
     * answered at once, as if it had not asked. A held request costs no thread, only an entry.
     */
    @WithDefault("10000")
    int maxResultWaiters();

    /**
     * How often the store is read for the results of held requests that another router wrote (a
     * shared PostgreSQL); results this router writes answer their held requests at once.
     */
    @WithDefault("250ms")
    Duration resultRecheckInterval();
  }

  interface Store {
    /** Which database: the embedded SQLite file (one router), or PostgreSQL (several routers). */
    @WithDefault("sqlite")
    StoreKind kind();

    /**
     * The SQLite file; default {@code $SERVAL_HOME/state/async-requests.db} ({@code ~/.serval} when
     * SERVAL_HOME is unset). Created with its directory, readable by its owner only.
     */
    Optional<Path> sqliteFile();

    /** PostgreSQL's JDBC URL, e.g. {@code jdbc:postgresql://db:5432/serval}; required for it. */
    Optional<String> jdbcUrl();

    /** PostgreSQL user. */
    Optional<String> user();

    /** This router's connection pool to the store's database (Agroal). */
    Pool pool();

    /**
     * A file holding PostgreSQL's password (a mounted Secret), so that it stays out of the
     * environment and the command line.
     */
    Optional<Path> passwordFile();

    /** How long a writer waits for SQLite's lock held by another connection before failing. */
    @WithDefault("5s")
    Duration busyTimeout();
  }

  /** The databases the async store runs on. */
  enum StoreKind {
    SQLITE,
    POSTGRESQL
  }

  /**
   * TLS on the REST and gRPC ports: read by the "tls" profile in application.properties, which
   * hands the files to the Quarkus TLS registry (REST) and the gRPC server. Off unless that profile
   * is active (QUARKUS_PROFILE=prod,tls).
   */
  Tls tls();

  interface Tls {
    /** PEM certificate chain of the router (a kubernetes.io/tls Secret's tls.crt). */
    Optional<Path> certificate();

    /** PEM private key of the certificate (tls.key). */
    Optional<Path> key();
  }

  /**
   * The async store's connections, on PostgreSQL or the SQLite file (opening a connection per call
   * cost most of an async request's time in the router).
   */
  interface Pool {
    /**
     * Connections at most: the pump uses one at a time, each of the intake's four store threads
     * one, each result read one.
     */
    @WithDefault("8")
    int maxSize();

    /** How long a store call waits for a free connection before it fails. */
    @WithDefault("5s")
    Duration acquisitionTimeout();

    /** Idle connections are closed after this. */
    @WithDefault("5m")
    Duration idleTimeout();

    /**
     * A connection is closed and replaced after this, so that a database that failed over (or a
     * pooler in front of it that rebalanced) is reached again.
     */
    @WithDefault("30m")
    Duration maxLifetime();

    /** How long opening one connection may take. */
    @WithDefault("10s")
    Duration connectTimeout();
  }
}
