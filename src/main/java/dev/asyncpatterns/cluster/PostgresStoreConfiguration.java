package dev.asyncpatterns.cluster;

import io.r2dbc.spi.ConnectionFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;

import dev.asyncpatterns.calls.CallsProperties;
import dev.asyncpatterns.jobs.JobRegistry;
import dev.asyncpatterns.jobs.JobsProperties;
import dev.asyncpatterns.runtime.WorkSchedulers;
import dev.asyncpatterns.security.AccessControlProperties;
import tools.jackson.databind.json.JsonMapper;

/** The beans of {@code asyncpatterns.store=postgres}; none of them exists with the memory store. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = StoreEnvironment.STORE, havingValue = StoreEnvironment.POSTGRES)
class PostgresStoreConfiguration {

    @Bean
    JobRows jobRows(ConnectionFactory connectionFactory, JsonMapper mapper) {
        return new JobRows(DatabaseClient.create(connectionFactory), mapper);
    }

    @Bean
    JobNotifications jobNotifications(ConnectionFactory connectionFactory) {
        return new JobNotifications(connectionFactory);
    }

    @Bean
    PostgresJobStore postgresJobStore(JobRegistry registry, JobRows rows, JobNotifications notifications,
            LocalInstance self, ClusterProperties properties, JobsProperties jobs, JsonMapper mapper) {
        return new PostgresJobStore(registry, rows, notifications, self, properties, jobs, mapper);
    }

    @Bean
    JobStoreHealthIndicator jobStoreHealthIndicator(PostgresJobStore store, LocalInstance self,
            JobNotifications notifications) {
        return new JobStoreHealthIndicator(store, self, notifications);
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
    ClusterMembership postgresMembership(PostgresJobStore store) {
        return store::status;
    }

}
