package dev.asyncpatterns.cluster;

import java.time.Duration;

import javax.sql.DataSource;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLadvisoryLockBasedProxyManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

import dev.asyncpatterns.calls.GlobalRateLimit;
import dev.asyncpatterns.runtime.WorkSchedulers;
import dev.asyncpatterns.security.AccessControlProperties;
import dev.asyncpatterns.security.CallerBuckets;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code store=postgres}: the per-caller rate limit's buckets in the {@code caller_rate_limit_buckets}
 * table, one Bucket4j bucket per caller updated under an advisory lock, so a caller gets one limit
 * across every instance rather than one per instance. JDBC, so every call runs on the bounded
 * blocking pool. A bucket that has refilled expires, and a cleaner deletes expired rows once a
 * minute in bounded batches: the table does not grow with every address that ever called.
 */
class PostgresCallerBuckets implements CallerBuckets, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PostgresCallerBuckets.class);
    private static final Duration CLEANUP_PERIOD = Duration.ofMinutes(1);
    private static final int CLEANUP_BATCH = 1000;

    private final PostgreSQLadvisoryLockBasedProxyManager<String> proxies;
    private final BucketConfiguration configuration;
    private final long version;
    private final WorkSchedulers schedulers;
    private final Disposable cleaner;

    PostgresCallerBuckets(DataSource dataSource, AccessControlProperties.RateLimit settings, WorkSchedulers schedulers) {
        this.schedulers = schedulers;
        this.proxies = Bucket4jPostgreSQL.advisoryLockBasedBuilder(dataSource)
            .primaryKeyMapper(PrimaryKeyMapper.STRING)
            .table("caller_rate_limit_buckets")
            .idColumn("id")
            .stateColumn("state")
            .expiresAtColumn("expires_at")
            .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(1)))
            .build();
        GlobalRateLimit limit = new GlobalRateLimit(settings.limitForPeriod(), settings.limitRefreshPeriod());
        this.configuration = limit.bucket();
        // A changed limit replaces the stored configuration: its version is the limit itself.
        this.version = Math.abs((long) settings.limitForPeriod() * 31 + settings.limitRefreshPeriod().toMillis());
        this.cleaner = Flux.interval(CLEANUP_PERIOD, CLEANUP_PERIOD)
            .concatMap(tick -> Mono.fromCallable(() -> proxies.removeExpired(CLEANUP_BATCH))
                .subscribeOn(schedulers.blocking())
                .onErrorResume(failure -> {
                    log.debug("Could not remove expired caller buckets: {}", failure.toString());
                    return Mono.empty();
                }))
            .subscribe();
    }

    @Override
    public Mono<Duration> tryAcquire(String caller) {
        return Mono.fromCallable(() -> {
            ConsumptionProbe probe = proxies.builder()
                .withImplicitConfigurationReplacement(version, TokensInheritanceStrategy.RESET)
                .build(caller, () -> configuration)
                .tryConsumeAndReturnRemaining(1);
            return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(Math.max(1, probe.getNanosToWaitForRefill()));
        }).subscribeOn(schedulers.blocking()).onErrorMap(StoreUnavailableException::new);
    }

    @Override
    public void destroy() {
        cleaner.dispose();
    }
}
