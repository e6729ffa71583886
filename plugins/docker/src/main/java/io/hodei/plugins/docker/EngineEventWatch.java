package io.hodei.plugins.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.hodei.plugins.support.Daemons;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Follows the engine's event stream for this instance's containers and hands each die, destroy and
 * OOM event to a handler, on a thread of its own. When the stream breaks (the engine restarts, the
 * socket goes away) it reconnects with backoff, asking for the events it missed meanwhile.
 */
final class EngineEventWatch implements Closeable {

  static final String[] ACTIONS = {"die", "destroy", "oom"};

  private static final Logger LOG = Logger.getLogger(EngineEventWatch.class.getName());
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final int REMEMBERED_EVENTS = 1000;

  private final Supplier<DockerClient> client;
  private final Map<String, String> labels;
  private final Consumer<Event> handler;
  private final ScheduledExecutorService executor;
  private final Set<String> seen = new LinkedHashSet<>();

  private volatile boolean closed;
  private volatile Closeable subscription;
  private volatile long sinceSeconds;
  private volatile Duration backoff = Duration.ofMillis(500);

  EngineEventWatch(
      String instanceName,
      Supplier<DockerClient> client,
      Map<String, String> labels,
      Consumer<Event> handler) {
    this.client = client;
    this.labels = Map.copyOf(labels);
    this.handler = handler;
    this.executor = Daemons.scheduler("hodei-docker-events-" + instanceName);
    this.sinceSeconds = System.currentTimeMillis() / 1000;
  }

  void start() {
    executor.execute(this::subscribe);
  }

  /** Subscribes again, e.g. with a client built from rotated TLS material. */
  void resubscribe() {
    executor.execute(
        () -> {
          closeSubscription();
          subscribe();
        });
  }

  private void subscribe() {
    if (closed) {
      return;
    }
    ResultCallback.Adapter<Event> callback =
        new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Event event) {
            backoff = Duration.ofMillis(500);
            if (event.getTime() != null) {
              sinceSeconds = Math.max(sinceSeconds, event.getTime());
            }
            if (!closed && firstTime(event)) {
              try {
                executor.execute(() -> deliver(event));
              } catch (java.util.concurrent.RejectedExecutionException e) {
                // Closed meanwhile: the host reconciles through list() from now on.
                LOG.log(Level.FINE, "engine event after close dropped: " + event, e);
              }
            }
          }

          @Override
          public void onError(Throwable error) {
            if (!closed) {
              LOG.log(
                  Level.WARNING,
                  "the engine's event stream broke; reconnecting in " + backoff,
                  error);
              reconnectLater();
            }
          }

          @Override
          public void onComplete() {
            if (!closed) {
              reconnectLater();
            }
          }
        };
    try {
      subscription =
          client
              .get()
              .eventsCmd()
              .withEventTypeFilter(EventType.CONTAINER)
              .withEventFilter(ACTIONS)
              .withLabelFilter(labels)
              .withSince(Long.toString(sinceSeconds))
              .exec(callback);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cannot open the engine's event stream; retrying in " + backoff, e);
      reconnectLater();
    }
  }

  private void deliver(Event event) {
    try {
      handler.accept(event);
    } catch (RuntimeException e) {
      // One bad event must not end the watch; the host still reconciles through list().
      LOG.log(Level.WARNING, "could not report engine event " + event, e);
    }
  }

  private void reconnectLater() {
    Duration wait = backoff;
    backoff = wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
    if (!executor.isShutdown()) {
      executor.schedule(this::subscribe, wait.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** A reconnect asks for events since the last one's second, so some arrive twice. */
  private boolean firstTime(Event event) {
    String key = event.getId() + "/" + event.getAction() + "/" + event.getTimeNano();
    synchronized (seen) {
      if (!seen.add(key)) {
        return false;
      }
      if (seen.size() > REMEMBERED_EVENTS) {
        seen.remove(seen.iterator().next());
      }
      return true;
    }
  }

  private void closeSubscription() {
    Closeable current = subscription;
    subscription = null;
    if (current != null) {
      try {
        current.close();
      } catch (IOException e) {
        LOG.log(Level.FINE, "closing the event stream failed; it is abandoned", e);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    closeSubscription();
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warning("the event watch thread did not end within 5 s of close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
