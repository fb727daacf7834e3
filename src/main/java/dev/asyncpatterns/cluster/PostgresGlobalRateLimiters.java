package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;

import org.springframework.beans.factory.DisposableBean;

import dev.asyncpatterns.calls.GlobalRateLimiters;
import dev.asyncpatterns.calls.CallsProperties;
import dev.asyncpatterns.calls.GlobalRateLimit;
import dev.asyncpatterns.runtime.WorkSchedulers;
import reactor.core.publisher.Mono;

/**
 * {@code store=postgres}: each global limiter is one Bucket4j bucket in the
 * {@code rate_limit_buckets} table, updated under a PostgreSQL advisory lock, so every instance
 * draws from the same tokens. Bucket4j's PostgreSQL module speaks JDBC: every call runs on the
 * bounded blocking pool over a small connection pool of its own, never on an event loop.
 */
class PostgresGlobalRateLimiters implements GlobalRateLimiters, DisposableBean {

    /** JDBC connections for bucket updates: each holds its row's lock only for one short transaction. */
    private static final int POOL_SIZE = 4;

    private final HikariDataSource dataSource;
    private final Map<String, BucketProxy> buckets;
    private final WorkSchedulers schedulers;

    PostgresGlobalRateLimiters(String jdbcUrl, String user, String password, CallsProperties properties,
            WorkSchedulers schedulers) {
        this.schedulers = schedulers;
        this.dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(jdbcUrl);
        dataSource.setUsername(user);
        dataSource.setPassword(password);
        dataSource.setMaximumPoolSize(POOL_SIZE);
        dataSource.setMinimumIdle(0);
        dataSource.setConnectionTimeout(Duration.ofSeconds(3).toMillis());
        dataSource.setPoolName("global-rate-limiters");
        ProxyManager<String> proxies = Bucket4jPostgreSQL.advisoryLockBasedBuilder(dataSource)
            .primaryKeyMapper(PrimaryKeyMapper.STRING)
            .table("rate_limit_buckets")
            .idColumn("id")
            .stateColumn("state")
            .build();
        this.buckets = properties.globalRateLimiters().entrySet().stream().collect(Collectors.toUnmodifiableMap(
                Map.Entry::getKey, entry -> bucket(proxies, entry.getKey(), entry.getValue())));
    }

    /** A changed limit replaces the stored configuration (its version is the limit itself). */
    private static BucketProxy bucket(ProxyManager<String> proxies, String name, GlobalRateLimit limit) {
        BucketConfiguration configuration = limit.bucket();
        long version = Math.abs((long) limit.limitForPeriod() * 31 + limit.limitRefreshPeriod().toMillis());
        return proxies.builder()
            .withImplicitConfigurationReplacement(version, TokensInheritanceStrategy.RESET)
            .build(name, () -> configuration);
    }

    /** The JDBC pool these buckets use; the per-caller buckets share it (see {@link PostgresCallerBuckets}). */
    DataSource dataSource() {
        return dataSource;
    }

    @Override
    public String backend() {
        return "postgres";
    }

    @Override
    public Mono<Duration> tryAcquire(String name) {
        return Mono.fromCallable(() -> {
            ConsumptionProbe probe = buckets.get(name).tryConsumeAndReturnRemaining(1);
            return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill());
        }).subscribeOn(schedulers.blocking()).onErrorMap(StoreUnavailableException::new);
    }

    @Override
    public Mono<Long> availableTokens(String name) {
        return Mono.fromCallable(() -> buckets.get(name).getAvailableTokens()).subscribeOn(schedulers.blocking())
            .onErrorMap(StoreUnavailableException::new);
    }

    @Override
    public void destroy() {
        dataSource.close();
    }
}
