package dev.asyncpatterns.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.asyncpatterns.jobs.JobId;
import reactor.core.Disposable;
import reactor.core.Disposables;

/**
 * LISTEN dispatch for the job store: {@code q} is work to claim, {@code c:id} a cancel for a job
 * running here. After a reconnect notifications may have been missed, so the claims look for work
 * at once (cancels also ride on heartbeats).
 */
final class NotificationDispatch {

    private static final Logger log = LoggerFactory.getLogger(NotificationDispatch.class);

    private final JobClaims claims;
    private final OwnedJobs owned;

    NotificationDispatch(JobClaims claims, OwnedJobs owned) {
        this.claims = claims;
        this.owned = owned;
    }

    Disposable start(JobNotifications notifications) {
        Disposable listener = notifications.payloads().subscribe(this::onNotification);
        Disposable resync = notifications.reconnects().subscribe(tick -> claims.queueSignalled());
        return Disposables.composite(listener, resync);
    }

    private void onNotification(String payload) {
        try {
            if (payload.equals("q")) {
                claims.queueSignalled();
            }
            else if (payload.startsWith("c:")) {
                JobId.parse(payload.substring(2)).filter(owned::owns).ifPresent(owned::stop);
            }
        }
        catch (RuntimeException bug) {
            // Said loudly, and the next notification is still heard: an escaping error would end the dispatch.
            log.error("Could not handle the notification '{}'", payload, bug);
        }
    }
}
