package io.hodei.core;

/** A state machine was asked for a move it does not allow; the caller has a bug or a stale view. */
public class IllegalTransitionException extends IllegalStateException {

  public IllegalTransitionException(String what, Enum<?> from, Enum<?> to) {
    super(what + " cannot go from " + from + " to " + to);
  }
}
