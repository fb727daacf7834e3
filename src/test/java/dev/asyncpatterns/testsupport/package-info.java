/**
 * Test fixtures shared by the features' tests: domain assertions such as
 * {@link dev.asyncpatterns.testsupport.JobAssert} for the task registry's jobs.
 */
package dev.asyncpatterns.testsupport;
