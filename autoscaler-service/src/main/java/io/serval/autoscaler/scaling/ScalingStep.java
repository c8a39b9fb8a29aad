package io.serval.autoscaler.scaling;

/**
 * One rule that changed the recommendation on its way to the decision.
 *
 * @param rule stable identifier (e.g. {@code upscale-stabilization}, {@code panic})
 * @param from value before the rule
 * @param to value after the rule
 * @param reason why, with the numbers that made it apply
 */
public record ScalingStep(String rule, double from, double to, String reason) {}
