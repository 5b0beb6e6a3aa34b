package io.memdoctor.instances;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code memdoctor.instances} besides the list of instances itself.
 *
 * @param allowedTargets where instances may point: IPv4 or IPv6 addresses and CIDR blocks ({@code 10.0.0.0/8},
 *     {@code fd00::/8}), host names ({@code cache.internal}) and name suffixes ({@code *.redis.internal}); empty
 *     (the default) means anywhere. See {@link AllowedTargets} for how a name is checked.
 */
@ConfigurationProperties("memdoctor.instances")
public record TargetProperties(List<String> allowedTargets) {

    public TargetProperties {
        allowedTargets = allowedTargets == null ? List.of() : List.copyOf(allowedTargets);
    }
}
