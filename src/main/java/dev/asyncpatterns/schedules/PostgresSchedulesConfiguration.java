package dev.asyncpatterns.schedules;

import io.r2dbc.spi.ConnectionFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import tools.jackson.databind.json.JsonMapper;

/** The schedules of {@code asyncpatterns.store=postgres}; with the memory store {@link MemoryScheduleStore} serves. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "asyncpatterns.store", havingValue = "postgres")
class PostgresSchedulesConfiguration {

    @Bean
    ScheduleRows scheduleRows(ConnectionFactory connectionFactory, JsonMapper mapper) {
        return new ScheduleRows(DatabaseClient.create(connectionFactory),
                TransactionalOperator.create(new R2dbcTransactionManager(connectionFactory)), mapper);
    }

    /**
     * Depends on the job registry so the context stops it first, and waits for it: the pass under
     * way submits what it claimed while the registry still takes jobs, before it drains.
     */
    @Bean
    @DependsOn("jobRegistry")
    PostgresScheduleStore postgresScheduleStore(ScheduleRows rows, ScheduleFiring firing, RunStates states,
            SchedulesProperties properties) {
        return new PostgresScheduleStore(rows, firing, states, properties);
    }
}
