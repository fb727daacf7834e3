package dev.asyncpatterns.cluster;

import java.time.Duration;

import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;

import dev.asyncpatterns.callbacks.CallbackDeliveries;
import dev.asyncpatterns.callbacks.CallbacksProperties;
import dev.asyncpatterns.calls.CallsProperties;
import dev.asyncpatterns.jobs.JobRegistry;
import dev.asyncpatterns.jobs.JobView;
import dev.asyncpatterns.jobs.JobsProperties;
import dev.asyncpatterns.runtime.WorkSchedulers;
import dev.asyncpatterns.security.AccessControlProperties;
import tools.jackson.databind.json.JsonMapper;

/** The beans of {@code asyncpatterns.store=postgres}; none of them exists with the memory store. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = StoreEnvironment.STORE, havingValue = StoreEnvironment.POSTGRES)
class PostgresStoreConfiguration {

    /** Bound on every statement of the store: past it the database counts as unreachable (503). */
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Every statement and connection attempt of the store is bounded once, here, rather than at
     * each call site: the server cancels a statement past {@link #STATEMENT_TIMEOUT} (a lock wait,
     * a slow plan), so the work stops there too, and a connection that cannot be made fails
     * after the same time.
     */
    @Bean
    ConnectionFactoryOptionsBuilderCustomizer storeTimeouts() {
        return options -> options.option(ConnectionFactoryOptions.STATEMENT_TIMEOUT, STATEMENT_TIMEOUT)
            .option(ConnectionFactoryOptions.CONNECT_TIMEOUT, STATEMENT_TIMEOUT);
    }

    @Bean
    JobRows jobRows(ConnectionFactory connectionFactory, JsonMapper mapper) {
        return new JobRows(DatabaseClient.create(connectionFactory), mapper);
    }

    @Bean
    LeaseRows leaseRows(ConnectionFactory connectionFactory) {
        return new LeaseRows(DatabaseClient.create(connectionFactory));
    }

    @Bean
    DueRows dueRows(ConnectionFactory connectionFactory) {
        return new DueRows(DatabaseClient.create(connectionFactory));
    }

    @Bean
    RetryRows retryRows(ConnectionFactory connectionFactory) {
        return new RetryRows(DatabaseClient.create(connectionFactory));
    }

    @Bean
    InstanceRows instanceRows(ConnectionFactory connectionFactory) {
        return new InstanceRows(DatabaseClient.create(connectionFactory));
    }

    @Bean
    PostgresIdempotencyKeys postgresIdempotencyKeys(ConnectionFactory connectionFactory, JsonMapper mapper,
            JobsProperties jobs) {
        return new PostgresIdempotencyKeys(DatabaseClient.create(connectionFactory), mapper, jobs.idempotencyTtl());
    }

    @Bean
    JobNotifications jobNotifications(ConnectionFactory connectionFactory) {
        return new JobNotifications(connectionFactory);
    }

    @Bean
    CallbackRows callbackRows(ConnectionFactory connectionFactory, JobRows rows) {
        return new CallbackRows(DatabaseClient.create(connectionFactory), rows::row);
    }

    @Bean
    PostgresJobStore postgresJobStore(JobRegistry registry, JobRows rows, LeaseRows leases, DueRows due,
            RetryRows retries, InstanceRows instances, JobNotifications notifications, LocalInstance self,
            ClusterProperties properties, JobsProperties jobs, JsonMapper mapper, CallbackDeliveries deliveries,
            CallbackRows callbacks) {
        return new PostgresJobStore(registry, rows, leases, due, retries, instances, notifications, self, properties,
                jobs, mapper, new RowCallbacks(deliveries, callbacks, rows));
    }

    /** A try's lease outlasts the try itself (the attempt timeout) by a lease TTL, the slack jobs' leases have too. */
    @Bean
    CallbackClaims callbackClaims(CallbackRows rows, CallbackDeliveries deliveries, JobNotifications notifications,
            LocalInstance self, ClusterProperties cluster, CallbacksProperties callbacks, JsonMapper mapper) {
        return new CallbackClaims(rows, deliveries, notifications, self.id(),
                callbacks.attemptTimeout().plus(cluster.leaseTtl()).toMillis(), callbacks.shutdownGrace(),
                mapper.writerFor(JobView.class), System::currentTimeMillis);
    }

    @Bean
    JobStoreHealthIndicator jobStoreHealthIndicator(JobRows rows, LocalInstance self,
            JobNotifications notifications) {
        return new JobStoreHealthIndicator(rows, self, notifications);
    }

    /** Bucket4j's JDBC connection uses the URL Flyway got (derived from spring.r2dbc.* unless set). */
    @Bean
    PostgresGlobalRateLimiters postgresGlobalRateLimiters(Environment environment,
            CallsProperties properties, WorkSchedulers schedulers) {
        return new PostgresGlobalRateLimiters(environment.getRequiredProperty("spring.flyway.url"),
                environment.getProperty("spring.flyway.user"), environment.getProperty("spring.flyway.password"),
                properties, schedulers);
    }

    /** With a per-caller rate limit configured, its buckets are shared by every instance too. */
    @Bean
    @ConditionalOnProperty("asyncpatterns.security.rate-limit.limit-for-period")
    PostgresCallerBuckets postgresCallerBuckets(PostgresGlobalRateLimiters limiters, AccessControlProperties access,
            WorkSchedulers schedulers) {
        return new PostgresCallerBuckets(limiters.dataSource(), access.rateLimit(), schedulers);
    }

    @Bean
    ClusterMembership postgresMembership(InstanceRows instances, LocalInstance self) {
        return new PostgresMembership(instances, self);
    }

}
