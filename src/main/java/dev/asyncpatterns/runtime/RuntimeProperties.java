package dev.asyncpatterns.runtime;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where work runs ({@code asyncpatterns.runtime.*}).
 *
 * @param cpuThreads threads of the CPU pool; 0 means one per available core
 * @param blockingThreads most threads the blocking pool ({@code to_thread}) may hold at once
 * @param blockingQueue most tasks that may wait for a blocking thread before submits fail
 */
@Validated
@ConfigurationProperties("asyncpatterns.runtime")
public record RuntimeProperties(
        @DefaultValue("0") @Min(0) @Max(256) int cpuThreads,
        @DefaultValue("32") @Min(1) @Max(1024) int blockingThreads,
        @DefaultValue("1000") @Min(1) @Max(100_000) int blockingQueue) {
}
