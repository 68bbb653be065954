package dev.statefort.core.usecases;

import dev.statefort.core.event.EventFeed;
import dev.statefort.core.event.StaleLockSweeper;
import dev.statefort.core.event.WebhookAdministration;
import dev.statefort.core.event.WebhookDispatcher;

/**
 * What happens around states, told to people and machines.
 *
 * @param webhooks a project's webhooks, as its admins manage them
 * @param feed a project's events as a live stream reads them
 * @param dispatcher sends due webhook deliveries (background work, any node)
 * @param staleLocks raises {@code lock.stale} (background work, any node)
 */
public record EventUseCases(
        WebhookAdministration webhooks, EventFeed feed, WebhookDispatcher dispatcher, StaleLockSweeper staleLocks) {}
