package io.hodei.credentials.broker;

import io.hodei.credentials.Secret;
import java.util.function.Consumer;

/** Pushes a rotated value to every listener of an entry; one failing listener spoils none else. */
final class RotationNotifier {

  private final System.Logger log;

  RotationNotifier(System.Logger log) {
    this.log = log;
  }

  void notify(CachedSecret entry, Secret rotated) {
    for (CachedSecret.Holder holder : entry.holders.values()) {
      for (Consumer<Secret> listener : holder.listeners()) {
        try {
          listener.accept(rotated);
        } catch (RuntimeException e) {
          // The broker must go on serving; the holder keeps the new value on its next fetch.
          log.log(
              System.Logger.Level.WARNING,
              "rotation listener of " + holder.caller() + " for " + entry.reference + " failed",
              e);
        }
      }
    }
  }
}
