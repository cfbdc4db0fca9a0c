//! Who may emit which event: the authority model, written once and applied
//! by the hub when it takes in a batch and by every ledger when it folds,
//! whatever path the event came by.
//!
//! A county's devices are enrolled each with its own key, but any one of
//! them may be lost, copied or in the wrong hands. So an event's signature
//! only says which device wrote it; what that device may change is decided
//! here:
//!
//! - the unit tree, the grading scheme and other county-wide settings: only
//!   the hub's administrator (events signed by the hub, carried in the feed).
//!   A device may register its own unit by name, without a parent (what
//!   `init` does); the tree around it is the hub's;
//! - a unit's roster: that unit, for mediators registered by it first;
//! - a case: the device that opened it (a second `case_opened` for the same
//!   id from another device never takes effect, whatever its clock); then
//!   whoever the case's rules name at the event's place in the order (the
//!   owner, the escalation's target, the asked unit), checked by the fold.
//!
//! A ledger that trusts no hub (standalone, not enrolled) is its own
//! administrator: everything in it was made on it.

use crate::event::EventBody;

/// Who wrote an event, as far as authority goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issuer {
    /// The hub's own device: its administrator's settings.
    Hub,
    /// An enrolled device, acting for the unit it was enrolled for.
    Device,
    /// A device of a ledger that trusts no hub: the only administrator
    /// there is.
    Standalone,
}

/// Whether `issuer`, acting for `unit`, may emit `body` at all, before any
/// state is looked at. The refusal says why, in words for the case history
/// and the hub's quarantine.
pub fn may_emit(body: &EventBody, unit: &str, issuer: Issuer) -> Result<(), String> {
    if issuer != Issuer::Device {
        return Ok(());
    }
    match body {
        EventBody::UnitRegistered(spec) if spec.code != unit => Err(format!(
            "单位“{}”只能由同步中心的管理员登记或修改，单位 {unit} 的设备无权更改",
            spec.code
        )),
        EventBody::UnitRegistered(spec) if spec.parent.is_some() => Err(format!(
            "单位之间的上下级关系只能由同步中心的管理员设置，单位 {unit} 的设备无权更改"
        )),
        EventBody::SchemeConfigured(_) => {
            Err("预警等级方案只能由同步中心的管理员设置，设备无权更改".into())
        }
        EventBody::MediatorRegistered(m) if m.unit != unit => Err(format!(
            "只能登记本单位的调解员：单位 {unit} 的设备无权登记或修改单位 {} 的调解员",
            m.unit
        )),
        _ => Ok(()),
    }
}

/// Why a `case_opened` for a case that another device opened first does not
/// take effect.
pub fn case_taken(case_id: uuid::Uuid) -> String {
    format!("案件 {case_id} 已由另一台设备登记，这条登记不生效")
}

/// Why a mediator registration for a mediator another unit registered first
/// does not take effect.
pub fn mediator_taken(owner: &str) -> String {
    format!("这名调解员已由单位 {owner} 登记，其他单位的设备无权修改")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scheme::Scheme;
    use crate::domain::unit::UnitSpec;

    #[test]
    fn a_device_changes_only_its_own_unit_and_never_the_tree() {
        let own = EventBody::UnitRegistered(UnitSpec::new("v1", "青山村调解室", None, 1, None));
        assert_eq!(may_emit(&own, "v1", Issuer::Device), Ok(()));
        let other = EventBody::UnitRegistered(UnitSpec::new("s1", "被改名", None, 2, None));
        assert!(
            may_emit(&other, "v1", Issuer::Device)
                .unwrap_err()
                .contains("s1")
        );
        let moved = EventBody::UnitRegistered(UnitSpec::new("v1", "青山村", None, 1, Some("s2")));
        assert!(
            may_emit(&moved, "v1", Issuer::Device)
                .unwrap_err()
                .contains("上下级")
        );
        let scheme = EventBody::SchemeConfigured(Scheme::default());
        assert!(may_emit(&scheme, "v1", Issuer::Device).is_err());
        for issuer in [Issuer::Hub, Issuer::Standalone] {
            assert_eq!(may_emit(&other, "v1", issuer), Ok(()));
            assert_eq!(may_emit(&moved, "v1", issuer), Ok(()));
            assert_eq!(may_emit(&scheme, "v1", issuer), Ok(()));
        }
    }
}
