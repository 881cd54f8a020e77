// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/ResponsesToChatContent.h"
#include "core/dialect/DialectMapping.h"
#include <QJsonArray>
#include <QJsonObject>

namespace Switchyard::ResponsesToChatContent {

using namespace Qt::Literals::StringLiterals;
using DialectMapping::untranslatable;

Result<QJsonValue> chatContent(const QJsonValue &content, const QString &field, bool imagesAllowed)
{
    if (content.isString())
        return content;
    QJsonArray out;
    const QJsonArray parts = content.toArray();
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QJsonObject part = parts.at(i).toObject();
        const QString type = part.value("type"_L1).toString();
        const QString partField = u"%1[%2]"_s.arg(field).arg(i);
        if (type == "input_text"_L1 || type == "output_text"_L1) {
            out.append(QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, part.value("text"_L1)}});
        } else if (type == "refusal"_L1) {
            out.append(QJsonObject{{u"type"_s, u"refusal"_s}, {u"refusal"_s, part.value("refusal"_L1)}});
        } else if (type == "input_image"_L1 && imagesAllowed) {
            if (!part.value("image_url"_L1).isString())
                return untranslatable(partField, u"images stored as OpenAI files cannot be translated; send "
                                                 "image_url (a data: or https: URL)"_s);
            QJsonObject imageUrl{{u"url"_s, part.value("image_url"_L1)}};
            if (part.value("detail"_L1).isString())
                imageUrl.insert("detail"_L1, part.value("detail"_L1));
            out.append(QJsonObject{{u"type"_s, u"image_url"_s}, {u"image_url"_s, imageUrl}});
        } else {
            return untranslatable(partField, u"content part type \"%1\" cannot be translated here"_s.arg(type));
        }
    }
    return DialectMapping::chatTextOrParts(out);
}

} // namespace Switchyard::ResponsesToChatContent
