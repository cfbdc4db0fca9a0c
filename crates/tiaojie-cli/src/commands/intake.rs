//! The intake form from the command line: flags, `--party` specs, or a JSON
//! file holding a `CaseIntake`.

use crate::cli::CaseAddArgs;
use crate::error::{CliError, CliResult};
use tiaojie_ledger::domain::intake::{CaseIntake, PartyInput, YuanText};

/// The keys a `--party` spec accepts, English or as on the paper form.
const PARTY_KEYS: &str = "name(姓名)、id(身份证号)、phone(电话)、side(类别)、gender(性别)、\
address(住址)、occupation(职业)、ethnicity(民族)、birth(出生日期)、age(年龄)";

pub fn from_args(args: CaseAddArgs) -> CliResult<CaseIntake> {
    if let Some(path) = &args.file {
        return super::read_json(path);
    }
    let parties = args
        .parties
        .iter()
        .enumerate()
        .map(|(i, spec)| party(spec, i))
        .collect::<CliResult<Vec<_>>>()?;
    Ok(CaseIntake {
        received_on: args.received_on,
        dispute_type: args.dispute_type.unwrap_or_default(),
        source: args.source.unwrap_or_default(),
        mediation_type: args.mediation_type,
        facts: args.facts.unwrap_or_default(),
        requests: args.requests,
        amount: args.amount.map(YuanText),
        people_involved: args.people,
        petition_risk: args.petition_risk,
        criminal_risk: args.criminal_risk,
        key_persons: args.key_persons,
        mediator: args.mediator,
        parties,
    })
}

/// Parses `name=张三,id=...,side=申请人`: pairs separated by commas (ASCII or
/// full-width), each key=value.
pub fn party(spec: &str, index: usize) -> CliResult<PartyInput> {
    let field = format!("parties[{index}]");
    let which = format!("第{}个 --party", index + 1);
    let mut p = PartyInput::default();
    for pair in spec
        .split([',', '，'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let (key, value) = pair.split_once(['=', '＝']).ok_or_else(|| {
            CliError::input(
                &field,
                format!("{which} 中的“{pair}”应写成 键=值（如 name=张三）"),
            )
        })?;
        let value = value.trim().to_string();
        match key.trim() {
            "name" | "姓名" => p.name = value,
            "id" | "id_number" | "身份证号" | "身份证" => p.id_number = Some(value),
            "phone" | "电话" | "联系电话" => p.phone = Some(value),
            "side" | "类别" => p.side = Some(value),
            "gender" | "性别" => p.gender = Some(value),
            "address" | "住址" => p.address = Some(value),
            "occupation" | "职业" => p.occupation = Some(value),
            "ethnicity" | "民族" => p.ethnicity = Some(value),
            "birth" | "birth_date" | "出生日期" => p.birth_date = Some(value),
            "age" | "年龄" => {
                p.age = Some(value.parse().map_err(|_| {
                    CliError::input(
                        format!("{field}.age"),
                        format!("{which} 的年龄“{value}”应为整数"),
                    )
                })?)
            }
            other => {
                return Err(CliError::input(
                    &field,
                    format!("{which} 中的“{other}”不是可识别的项（可选：{PARTY_KEYS}）"),
                ));
            }
        }
    }
    if p.name.trim().is_empty() {
        return Err(CliError::input(
            format!("{field}.name"),
            format!("{which} 缺少姓名（name=...）"),
        ));
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pairs_with_either_comma() {
        let p = party("name=张三，id=11010519491231002X, side=申请人,age=40", 0).unwrap();
        assert_eq!(p.name, "张三");
        assert_eq!(p.id_number.as_deref(), Some("11010519491231002X"));
        assert_eq!(p.side.as_deref(), Some("申请人"));
        assert_eq!(p.age, Some(40));
    }

    #[test]
    fn names_the_unknown_key() {
        let e = party("name=张三,nickname=小张", 1).unwrap_err();
        assert_eq!(e.field(), Some("parties[1]"));
        assert!(e.to_string().contains("nickname"), "{e}");
        assert_eq!(
            party("name=张三,age=四十", 0).unwrap_err().field(),
            Some("parties[0].age")
        );
        assert!(party("张三", 0).is_err());
    }
}
