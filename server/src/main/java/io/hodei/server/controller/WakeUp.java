package io.hodei.server.controller;

/**
 * A CDI event asking the job controller for a pass soon, fired by whoever changed something the
 * controller acts on. An event, rather than a reference, keeps the controller's parts acyclic.
 */
public record WakeUp(String why) {}
