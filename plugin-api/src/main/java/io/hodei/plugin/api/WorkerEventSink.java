package io.hodei.plugin.api;

/** Where a provider reports {@link WorkerEvent}s. Thread-safe; never blocks for long. */
@FunctionalInterface
public interface WorkerEventSink {

  void publish(WorkerEvent event);
}
